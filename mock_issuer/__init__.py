"""A ZITADEL-shaped mock OAuth 2.0 issuer (RFC 6749, RFC 7523, RFC 7662, RFC 7009).

Behaves as ZITADEL does (sources and differences: this folder's README): discovery, the token
endpoint (jwt-bearer and client_credentials grants for service users), introspection for API apps
(client_secret_basic and private_key_jwt), revocation, the JWKS and userinfo; opaque and JWT
access tokens, PATs, projects, roles, audience by scope. One deliberate difference: a bad jwt-bearer
assertion gets ``400 invalid_grant`` (RFC 7523 §3.1), where ZITADEL answers 500 (zitadel#12692).
Error bodies also carry an ``error_description`` where ZITADEL sends none.

Use it three ways::

    issuer = MockIssuer(issuer="http://issuer.test")   # in-process: issuer.app is ASGI
    httpx.AsyncClient(transport=httpx.ASGITransport(issuer.app), base_url=issuer.issuer)

    with MockIssuer() as issuer:                        # real server on a free port
        world = issuer.provision()                      # call after start(): iss has the port

    python -m mock_issuer --port 8080 --write-env ./mock-env

The facade :class:`MockIssuer`:

* serving: ``start(host="127.0.0.1", port=0, *, issuer_url=None) -> MockIssuer``, ``stop()``,
  context manager; ``app`` (ASGI); URLs ``issuer``, ``discovery_url``, ``token_endpoint``,
  ``introspection_endpoint``, ``revocation_endpoint``, ``userinfo_endpoint``, ``jwks_uri``;
* counters: ``introspection_calls`` (requests that reached the introspection endpoint),
  ``jwks_calls`` (requests that reached ``/oauth/v2/keys``);
* signing keys: ``signing_kid``, ``rotate_signing_key(*, keep_old_for=86400,
  publish_after=0) -> kid`` (the old key stays in the JWKS ``keep_old_for`` seconds, the new
  one appears there ``publish_after`` seconds after it starts signing; by ``clock``),
  ``add_web_key(algorithm="ES256") -> kid`` (an EC P-256 web key, published, signing nothing),
  ``access_token_typ`` (the JWT access tokens' ``typ``: ``JWT`` as ZITADEL, or ``at+jwt``);
* time: ``clock`` (:class:`SettableClock`: ``now()``, ``advance(s)``, ``set(ts)``),
  ``access_token_lifetime`` (seconds, default 43200, settable);
* resources: ``provision(access_token_type="bearer") -> Provisioned``,
  ``add_project(name, roles) -> Project``,
  ``add_api_app(project_id, auth="private_key_jwt"|"client_secret_basic", key_expires_at=None,
  client_secret=None) -> ApiApp`` (``client_secret=odd_client_secret()`` holds ``:%+ é``),
  ``add_app_key(client_id, expires_at=None) -> key file dict``,
  ``add_service_user(username, *, roles, project_id, access_token_type="bearer"|"jwt",
  with_key, with_secret, with_pat, key_expires_at, pat_expires_at) -> ServiceUser``,
  ``add_user_key(user_id, expires_at=None)``, ``grant_role(user_id, project_id, role)``,
  ``revoke_role(...)``, ``issue_pat(user_id, expires_at=None) -> str``,
  ``revoke_token(token) -> bool``, ``deactivate_user(user_id)``, ``reactivate_user(user_id)``;
  expiry dates may lie in the past (ZITADEL refuses that; tests find it handy);
* faults: ``faults.set(FaultKind.X, endpoint=None|"token"|"introspect"|"revoke"|"keys"|
  "discovery"|"userinfo", seconds=, status=, client_id=)``, ``faults.remove(fault)``,
  ``faults.clear()``, and ``with issuer.fault(FaultKind.X, ...):``. ``LATENCY`` waits
  ``seconds`` then answers; ``SERVER_ERROR`` answers ``status`` (5xx) with a JSON
  ``server_error``; ``MALFORMED_JSON`` answers 200 with truncated JSON; ``DROP_CONNECTION``
  closes the socket without an answer (real server: the client gets a connection error;
  in-process the request raises :class:`mock_issuer.server.DropConnection`);
  ``REJECT_CLIENT`` (``client_id=`` an API app) makes introspection answer 400
  ``unauthorized_client`` for that app. ``token=`` scopes a fault to requests about that token
  (``mock_issuer/scoped.py``), so checks running side by side each bend their own answers;

* lies (well-formed, wrong answers; ``mock_issuer/lies.py``): ``lies.set(LieKind.X)``,
  ``lies.remove``, ``lies.clear``, and ``with issuer.lie(LieKind.X, token=None):`` (``token``:
  told about that token only, ``lies.told(kind, token)`` counts it alone). The true answer is
  computed, then bent: ``active`` as ``"true"``/``1``/``null``/``[true]``/missing/duplicated,
  ``exp`` in the past or as a string/``NaN``/``1e400``/hundreds of digits, foreign ``aud`` or
  ``iss``, ``token_type`` ``refresh_token``, roles of the wrong type, deep nesting, 30 MB, a
  gzip bomb, ``text/html``, UTF-16, an empty 200, 429, a 302 elsewhere, a dripped body or
  head; ``DISCOVERY_*`` bend the discovery document. Each lie carries the refusal an API owes
  it, ``LieKind.X.refusal`` (:class:`Refusal`: ``slug``, ``title``, ``rfc``, ``status`` 401,
  403 or 503, ``needs_role``): the harness derives its lie checks from the enum alone;
* role shapes (``mock_issuer/role_shapes.py``): ``with issuer.role_shape(RoleShape.X):`` new
  JWT access tokens and introspection answers carry the roles in another shape: the project's
  scoped claim alone, the generic claim alone, under another project's claim only, or a
  roles claim of the wrong type (null, a number, the object in a list, keyed by organisation);
* keys: ``MockIssuer(key_pool=KeyPool(shared=True))`` takes its RSA keys from those the
  process made for its other issuers (made once; see :class:`KeyPool`), else each is fresh;
* records: ``introspections`` (:class:`mock_issuer.records.IntrospectionLog`) holds facts of
  each introspection request (auth methods, Basic form-urlencoding, the client assertion's
  ``iss``/``sub``/``aud``/``jti``/lifetime, ``token_digest(token)`` of the token), never a secret.

:class:`Provisioned` holds ``issuer``, ``org``, ``project``, ``other_project``, ``api_jwt_app``,
``api_basic_app``, ``other_api_app`` and the service users ``jwt_user``, ``cc_user``,
``pat_user`` (each with ``read:messages``) and ``norole_user`` (key, secret and PAT, no role);
``write_env(directory) -> Path`` writes ``.env`` and the key files (mode 0600).

Layout (the README's table has every file): ``issuer.py`` (the facade; its methods by concern
in ``issuer_serving.py``, ``issuer_resources.py`` and ``issuer_state.py``), ``server.py`` (the
background uvicorn server), ``app.py`` (routes), ``endpoints/`` (discovery, token, introspect,
revoke, keys, userinfo, and client authentication), ``grants/`` (jwt-bearer, client_credentials),
``store.py`` (all state; every write goes through it), ``admin.py`` and ``provision.py``
(creating resources), ``faults.py``, ``lies.py`` (with ``lie_answers.py`` and
``lie_layer.py``), ``clock.py``. Other packages import only the names of ``__all__``.
"""

from __future__ import annotations

from mock_issuer.clock import SettableClock
from mock_issuer.credentials import odd_client_secret
from mock_issuer.faults import FaultKind, FaultRule, Faults
from mock_issuer.issuer import MockIssuer
from mock_issuer.keys import KeyPool
from mock_issuer.lies import LieKind, Refusal
from mock_issuer.model import AccessTokenType, ApiApp, Org, Project, ServiceUser
from mock_issuer.paths import INTROSPECTION
from mock_issuer.provision import ROLE, Provisioned, audience_scope
from mock_issuer.records import IntrospectionRecord
from mock_issuer.role_shapes import RoleShape
from mock_issuer.scoped import token_digest
from mock_issuer.server import BackgroundServer, DropConnection

__version__ = "0.1.0"
"""The distribution's version, kept equal to ``oauthkit.__version__`` (no import of it)."""

__all__ = [
    "INTROSPECTION",
    "ROLE",
    "AccessTokenType",
    "ApiApp",
    "BackgroundServer",
    "DropConnection",
    "FaultKind",
    "FaultRule",
    "Faults",
    "IntrospectionRecord",
    "KeyPool",
    "LieKind",
    "MockIssuer",
    "Org",
    "Project",
    "Provisioned",
    "Refusal",
    "RoleShape",
    "ServiceUser",
    "SettableClock",
    "audience_scope",
    "odd_client_secret",
    "token_digest",
]
