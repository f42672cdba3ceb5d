"""``GET``/``POST /oidc/v1/userinfo`` (OpenID Connect Core 1.0 §5.3, RFC 6750 §3, spec §3.5).

As ZITADEL: the access token comes from ``Authorization: Bearer`` (the scheme written so) or
else an ``access_token`` query or form parameter. None is ``401 invalid_request`` "access token
missing"; a token ZITADEL did not issue, or expired or revoked, is ``401 access_denied``
"access token invalid"; a deactivated user's token is ``401 access_denied`` "no active user".
Any valid access token or PAT will do: no audience and no ``openid`` scope are required. The
answer holds the claims its scopes grant (:func:`mock_issuer.claims.userinfo_claims`).

One difference: the 401s also carry the RFC 6750 §3 challenge (``Bearer``, and
``error="invalid_token"`` for a bad token) that OpenID Connect Core §5.3.3 asks for and ZITADEL
leaves out.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_issuer.claims import userinfo_claims
from mock_issuer.errors import OAuthError
from mock_issuer.forms import read_form
from mock_issuer.instance import Instance
from mock_issuer.tokens import resolve

MISSING = "access token missing"
INVALID = "access token invalid"
NO_ACTIVE_USER = "no active user"


def _missing() -> OAuthError:
    # RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
    return OAuthError("invalid_request", MISSING, 401, {"WWW-Authenticate": "Bearer"})


def _denied(description: str) -> OAuthError:
    challenge = f'Bearer error="invalid_token", error_description="{description}"'
    return OAuthError("access_denied", description, 401, {"WWW-Authenticate": challenge})


async def access_token(request: Request) -> str | None:
    """The token of a userinfo request: the Bearer header, else ``access_token``."""
    parts = request.headers.get("authorization", "").split("Bearer ")
    if len(parts) == 2 and parts[1]:  # ZITADEL splits on the exact "Bearer "
        return parts[1]
    form = await read_form(request) if request.method == "POST" else {}
    return form.get("access_token") or request.query_params.get("access_token")


def userinfo(instance: Instance, token: str) -> dict[str, Any]:
    """The claims for ``token``, or the :class:`OAuthError` ZITADEL answers."""
    record = resolve(instance, token)
    if record is None or record.revoked or instance.now() >= record.expires_at:
        raise _denied(INVALID)
    user = instance.store.user(record.user_id)
    if user is None or not user.active:
        raise _denied(NO_ACTIVE_USER)
    return userinfo_claims(record, user, instance.store.org(user.org_id) or instance.org)


async def handle(request: Request, instance: Instance) -> Response:
    """Answer with the claims of the request's access token."""
    token = await access_token(request)
    if not token:
        raise _missing()
    return JSONResponse(userinfo(instance, token))
