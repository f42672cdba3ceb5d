"""The JWT profile grant ``urn:ietf:params:oauth:grant-type:jwt-bearer`` (RFC 7523 §2.1, §3.1).

A service user signs an assertion with its key (``iss`` = ``sub`` = user id). No client
authentication. Deliberate difference from ZITADEL: a rejected assertion gets
``400 invalid_grant`` as RFC 7523 §3.1 says; ZITADEL answers ``500 server_error`` (zitadel#12692).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from mock_issuer.assertion import AssertionRejected, verify_assertion
from mock_issuer.errors import OAuthError, invalid_request
from mock_issuer.forms import Form
from mock_issuer.instance import Instance
from mock_issuer.tokens import token_response

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPE_MISSING = (
    "The scope of your request is missing. Please provide at least one scope in your request. "
    "For example: openid urn:zitadel:iam:org:project:id:<project id>:aud"
)


def require_scope(form: Form) -> str:
    """The ``scope`` parameter, which ZITADEL requires for service-user grants."""
    scope = form.get("scope", "").strip()
    if not scope:
        raise invalid_request(SCOPE_MISSING)
    return scope


async def grant(request: Request, form: Form, instance: Instance) -> dict[str, Any]:
    """Verify the assertion and issue a token to the service user it names."""
    assertion = form.get("assertion")
    if not assertion:
        raise invalid_request("assertion missing")
    now = instance.now()
    try:
        claims = verify_assertion(
            assertion,
            issuer=instance.issuer,
            now=now,
            find_key=lambda kid, iss: instance.store.user_key(kid, iss, now),
        )
    except AssertionRejected as exc:
        raise OAuthError("invalid_grant", str(exc)) from exc
    user = instance.store.user(claims["sub"])
    if user is None or not user.active:
        raise OAuthError("invalid_grant", "the service user is not active")
    return token_response(instance, user, require_scope(form))
