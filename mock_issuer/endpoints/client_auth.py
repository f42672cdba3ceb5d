"""Authenticating API apps at the introspection endpoint (RFC 7662 §2.1, RFC 7523 §2.2).

Two methods, as ZITADEL offers API apps: ``client_secret_basic`` (form ``client_id`` +
``client_secret`` also works, as in ZITADEL) and ``private_key_jwt`` (the app's unexpired keys
only; the app is found by the assertion's unverified ``iss``). Failures are ZITADEL's
``400 unauthorized_client``; the mock adds a description, ZITADEL sends none.
"""

from __future__ import annotations

from mock_issuer.assertion import AssertionRejected, unverified_issuer, verify_assertion
from mock_issuer.errors import OAuthError, echo, invalid_request
from mock_issuer.forms import ASSERTION_TYPE_JWT, ClientCredentials
from mock_issuer.instance import Instance
from mock_issuer.model import AppRecord


class UnparsableAssertion(Exception):
    """The client assertion is not a JWT; ZITADEL then answers ``{"active": false}``."""


def unauthorized(reason: str) -> OAuthError:
    """ZITADEL's answer to bad introspection credentials: 400 ``unauthorized_client``."""
    return OAuthError("unauthorized_client", f"client authentication failed: {reason}")


def require_credentials(creds: ClientCredentials) -> None:
    """Refuse a request that carries no client authentication at all."""
    if not creds.present:
        raise OAuthError(
            "invalid_client",
            "client must be authenticated: send the API app's client_id and client_secret as "
            "HTTP Basic, or a client_assertion (private_key_jwt)",
        )


def authenticate_app(
    instance: Instance, creds: ClientCredentials, token: str | None = None
) -> AppRecord:
    """The API app the credentials prove, or raise :class:`OAuthError` / UnparsableAssertion
    (``token``: what it asks about, for a rejection scoped to one token)."""
    require_credentials(creds)
    if creds.client_assertion:
        app = _by_assertion(instance, creds.client_assertion, creds.client_assertion_type)
    else:
        app = _by_secret(instance, creds.client_id or "", creds.client_secret or "")
    if instance.faults.rejects(app.client_id, token):
        raise unauthorized("credentials rejected (injected fault)")
    return app


def _by_secret(instance: Instance, client_id: str, secret: str) -> AppRecord:
    app = instance.store.app(client_id)
    if app is None:
        raise unauthorized(f"no API app with client_id {echo(client_id)}")
    if app.secret is None:
        raise unauthorized("this app has no client secret; it authenticates with private_key_jwt")
    if not app.secret.matches(secret):
        raise unauthorized("the client secret is wrong")
    return app


def _by_assertion(instance: Instance, assertion: str, assertion_type: str | None) -> AppRecord:
    if assertion_type != ASSERTION_TYPE_JWT:
        raise invalid_request(f"client_assertion_type must be {ASSERTION_TYPE_JWT}")
    client_id = unverified_issuer(assertion)
    if client_id is None:
        raise UnparsableAssertion()
    app = instance.store.app(client_id)
    if app is None:
        raise unauthorized(f"no API app with client_id {echo(client_id)} (the assertion's iss)")
    now = instance.now()
    try:
        verify_assertion(
            assertion,
            issuer=instance.issuer,
            now=now,
            find_key=lambda kid, iss: instance.store.app_key(kid, iss, now),
        )
    except AssertionRejected as exc:
        raise unauthorized(str(exc)) from exc
    return app
