"""The mock issuer facade: one object to build, start, provision and break (RFC 8414 §2).

Modelled on navikt/mock-oauth2-server: ``start(port=0)``/``stop()``, URL helpers, admin calls
and fault switches, all on :class:`MockIssuer`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType

from starlette.types import ASGIApp

from mock_issuer import admin, paths, tokens
from mock_issuer.app import build_app
from mock_issuer.clock import SettableClock
from mock_issuer.faults import FaultKind, FaultRule, Faults
from mock_issuer.instance import Instance
from mock_issuer.keyring import DEFAULT_KEEP_OLD_FOR
from mock_issuer.keys import KeyFile
from mock_issuer.lies import LieKind, Lies
from mock_issuer.model import (
    AccessTokenType,
    ApiApp,
    AppAuthMethod,
    Org,
    Project,
    ServiceUser,
)
from mock_issuer.provision import Provisioned, provision
from mock_issuer.records import IntrospectionLog
from mock_issuer.server import BackgroundServer

DEFAULT_ISSUER = "http://issuer.test"


class MockIssuer:
    """A ZITADEL-shaped OAuth issuer: an ASGI app, or a real server once started.

    In-process, ``issuer`` stays what was passed. ``start()`` serves it on loopback and the
    issuer URL becomes the server's URL (or ``issuer_url`` when given).
    """

    def __init__(self, issuer: str = DEFAULT_ISSUER, clock: SettableClock | None = None) -> None:
        self._instance = Instance(issuer=issuer, clock=clock or SettableClock())
        self.app: ASGIApp = build_app(self._instance)
        self._server: BackgroundServer | None = None
        self._provisioned: Provisioned | None = None

    # -- serving -------------------------------------------------------------------------

    def start(
        self, host: str = "127.0.0.1", port: int = 0, *, issuer_url: str | None = None
    ) -> MockIssuer:
        """Serve on ``host:port`` (0 = a free port) in a background thread."""
        if self._server is not None:
            raise RuntimeError("MockIssuer is already started; stop() it first.")
        self._server = BackgroundServer(self.app, host=host, port=port).start()
        public_host = "localhost" if host in ("0.0.0.0", "::") else host
        default_url = self._server.url.replace(f"//{host}:", f"//{public_host}:")
        self._instance.issuer = (issuer_url or default_url).rstrip("/")
        return self

    def stop(self) -> None:
        """Stop the server, if running; safe to call twice."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> MockIssuer:
        return self if self._server is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def listen_url(self) -> str:
        """Where the server really listens, e.g. ``http://127.0.0.1:54321`` (after ``start()``).

        Differs from :attr:`issuer` when ``issuer_url`` was given (a proxy or a public name).
        """
        if self._server is None:
            raise RuntimeError("MockIssuer.listen_url is only known after start().")
        return self._server.url

    # -- URLs and settings ---------------------------------------------------------------

    @property
    def issuer(self) -> str:
        """The issuer URL (``iss``), no trailing slash."""
        return self._instance.issuer

    @property
    def discovery_url(self) -> str:
        """``{issuer}/.well-known/openid-configuration``."""
        return self.issuer + paths.DISCOVERY

    @property
    def token_endpoint(self) -> str:
        """``{issuer}/oauth/v2/token``."""
        return self.issuer + paths.TOKEN

    @property
    def introspection_endpoint(self) -> str:
        """``{issuer}/oauth/v2/introspect``."""
        return self.issuer + paths.INTROSPECTION

    @property
    def revocation_endpoint(self) -> str:
        """``{issuer}/oauth/v2/revoke``."""
        return self.issuer + paths.REVOCATION

    @property
    def jwks_uri(self) -> str:
        """``{issuer}/oauth/v2/keys``."""
        return self.issuer + paths.JWKS

    @property
    def clock(self) -> SettableClock:
        """The clock every time rule reads."""
        return self._instance.clock

    @property
    def org(self) -> Org:
        """The instance's organisation (every service user belongs to it)."""
        return self._instance.org

    @property
    def access_token_lifetime(self) -> float:
        """Lifetime of new access tokens in seconds (default 43200, ZITADEL's 12 h)."""
        return self._instance.access_token_lifetime

    @access_token_lifetime.setter
    def access_token_lifetime(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError(f"access_token_lifetime must be positive, got {seconds}.")
        self._instance.access_token_lifetime = seconds

    @property
    def introspection_calls(self) -> int:
        """Requests that reached ``POST /oauth/v2/introspect`` (a dropped one does not)."""
        return self._instance.introspection_calls

    @property
    def jwks_calls(self) -> int:
        """Requests that reached ``GET /oauth/v2/keys`` (a dropped one does not)."""
        return self._instance.jwks_calls

    @property
    def signing_kid(self) -> str:
        """The ``kid`` of the key that signs tokens now."""
        return self._instance.signing_key().kid

    def rotate_signing_key(
        self, *, keep_old_for: float = DEFAULT_KEEP_OLD_FOR, publish_after: float = 0.0
    ) -> str:
        """Sign with a new key from now on; return its ``kid``.

        The old key stays in the JWKS for ``keep_old_for`` seconds by :attr:`clock`; the new
        one is published only ``publish_after`` seconds from now (ZITADEL may use a key it made
        on demand before its JWKS shows it).
        """
        key = self._instance.keys.rotate(keep_old_for=keep_old_for, publish_after=publish_after)
        return key.kid

    @property
    def instance(self) -> Instance:
        """The underlying state (for tests that need to look inside)."""
        return self._instance

    # -- resources -----------------------------------------------------------------------

    def provision(self, access_token_type: AccessTokenType = "bearer") -> Provisioned:
        """The ready-made world (see :class:`Provisioned`); made once, then returned again."""
        if self._provisioned is None:
            self._provisioned = provision(self, access_token_type)
        return self._provisioned.with_issuer(self.issuer)

    @property
    def world(self) -> Provisioned:
        """What :meth:`provision` made: ids, key files, secrets and PATs."""
        if self._provisioned is None:
            raise RuntimeError("MockIssuer.world is only there after provision(); call it first.")
        return self._provisioned.with_issuer(self.issuer)

    def add_project(self, name: str, roles: Iterable[str] = ("read:messages",)) -> Project:
        """A new project with these role keys."""
        return admin.add_project(self._instance, name, roles)

    def add_api_app(
        self,
        project_id: str,
        auth: AppAuthMethod = "private_key_jwt",
        key_expires_at: float | None = None,
        client_secret: str | None = None,
    ) -> ApiApp:
        """A new API app: a key file (``private_key_jwt``) or a secret (``client_secret_basic``).

        ``client_secret`` sets the secret, e.g. ``odd_client_secret()`` (``:%+ é``) to catch
        clients that do not form-urlencode it in the Basic header (RFC 6749 §2.3.1).
        """
        return admin.add_api_app(self._instance, project_id, auth, key_expires_at, client_secret)

    def add_app_key(self, client_id: str, expires_at: float | None = None) -> KeyFile:
        """An extra key for an API app; returns its key file."""
        return admin.add_app_key(self._instance, client_id, expires_at)

    def add_service_user(
        self,
        username: str,
        *,
        roles: Iterable[str] = (),
        project_id: str | None = None,
        access_token_type: AccessTokenType = "bearer",
        with_key: bool = False,
        with_secret: bool = False,
        with_pat: bool = False,
        key_expires_at: float | None = None,
        pat_expires_at: float | None = None,
    ) -> ServiceUser:
        """A new service user with the credentials asked for and ``roles`` in ``project_id``."""
        roles = tuple(roles)
        if roles and project_id is None:
            raise ValueError("roles= needs project_id= (the project the roles belong to).")
        record = admin.add_user(self._instance, username, access_token_type)
        for role in roles:
            admin.grant_role(self._instance, record.user_id, str(project_id), role)
        key_file = (
            admin.add_user_key(self._instance, record.user_id, key_expires_at) if with_key else None
        )
        secret = admin.set_user_secret(self._instance, record.user_id) if with_secret else None
        pat = self.issue_pat(record.user_id, pat_expires_at) if with_pat else None
        return admin.service_user_view(record, key_file, secret, pat)

    def add_user_key(self, user_id: str, expires_at: float | None = None) -> KeyFile:
        """An extra key for a service user; returns its key file."""
        return admin.add_user_key(self._instance, user_id, expires_at)

    def grant_role(self, user_id: str, project_id: str, role: str) -> None:
        """Grant a project role; introspection shows it at once."""
        admin.grant_role(self._instance, user_id, project_id, role)

    def revoke_role(self, user_id: str, project_id: str, role: str) -> None:
        """Take a project role away."""
        admin.revoke_role(self._instance, user_id, project_id, role)

    def issue_pat(self, user_id: str, expires_at: float | None = None) -> str:
        """A new personal access token for a service user."""
        admin.user(self._instance, user_id)
        return tokens.issue_pat(self._instance, user_id, expires_at)

    def revoke_token(self, token: str) -> bool:
        """Revoke an access token or PAT, as ``POST /oauth/v2/revoke`` does."""
        return tokens.revoke(self._instance, token)

    def deactivate_user(self, user_id: str) -> None:
        """Deactivate a service user: no new tokens, its tokens introspect as inactive."""
        admin.set_active(self._instance, user_id, False)

    def reactivate_user(self, user_id: str) -> None:
        """Undo :meth:`deactivate_user`."""
        admin.set_active(self._instance, user_id, True)

    # -- faults --------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        """The fault switches (``set``, ``remove``, ``clear``)."""
        return self._instance.faults

    @contextmanager
    def fault(
        self,
        kind: FaultKind,
        *,
        endpoint: str | None = None,
        seconds: float = 0.0,
        status: int = 503,
        client_id: str | None = None,
    ) -> Iterator[FaultRule]:
        """Switch a fault on for the ``with`` block."""
        fault = self.faults.set(
            kind, endpoint=endpoint, seconds=seconds, status=status, client_id=client_id
        )
        try:
            yield fault
        finally:
            self.faults.remove(fault)

    # -- lies and records ----------------------------------------------------------------

    @property
    def lies(self) -> Lies:
        """The lie switches (``set``, ``remove``, ``clear``): wrong answers, well-formed HTTP."""
        return self._instance.lies

    @contextmanager
    def lie(self, kind: LieKind) -> Iterator[LieKind]:
        """Switch a lie on for the ``with`` block."""
        self.lies.set(kind)
        try:
            yield kind
        finally:
            self.lies.remove(kind)

    @property
    def introspections(self) -> IntrospectionLog:
        """What each client sent to the introspection endpoint (facts, never secrets)."""
        return self._instance.introspections
