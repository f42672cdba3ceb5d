"""``POST /oauth/v2/revoke`` (RFC 7009 §2).

Revokes access tokens and PATs. Client authentication is optional in the mock; when sent it
must be valid for an API app or a service user with a secret (else 400 ``invalid_client``).
Unknown or already revoked tokens still get 200 (RFC 7009 §2.2).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from mock_issuer.endpoints.client_auth import UnparsableAssertion, authenticate_app
from mock_issuer.errors import OAuthError, invalid_request
from mock_issuer.forms import ClientCredentials, read_client_auth, read_form
from mock_issuer.instance import Instance
from mock_issuer.tokens import revoke


def _is_service_user(instance: Instance, creds: ClientCredentials) -> bool:
    user = instance.store.user_by_username(creds.client_id or "")
    return bool(user and user.secret and user.secret.matches(creds.client_secret or ""))


def _check_client(instance: Instance, creds: ClientCredentials) -> None:
    if _is_service_user(instance, creds):
        return
    try:
        authenticate_app(instance, creds)
    except (OAuthError, UnparsableAssertion) as exc:
        raise OAuthError("invalid_client", "client authentication failed") from exc


async def handle(request: Request, instance: Instance) -> Response:
    """Revoke the token named in the form."""
    form = await read_form(request)
    creds = read_client_auth(request, form)
    token = form.get("token")
    if not token:
        raise invalid_request("token missing")
    if creds.present:
        _check_client(instance, creds)
    revoke(instance, token)
    return Response(status_code=200, headers={"Cache-Control": "no-store"})
