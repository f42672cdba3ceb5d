"""The client credentials grant for service users (RFC 6749 §4.4, spec §2.3).

``client_id`` is the service user's login name (its username), ``client_secret`` its secret;
sent as HTTP Basic (each part form-urlencoded) or as form fields, not both. Errors and their
descriptions are ZITADEL's (all 400).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from mock_issuer.errors import OAuthError, invalid_request
from mock_issuer.forms import ASSERTION_TYPE_JWT, Form, read_client_auth
from mock_issuer.grants.jwt_bearer import require_scope
from mock_issuer.instance import Instance
from mock_issuer.tokens import token_response

GRANT_TYPE = "client_credentials"


async def grant(request: Request, form: Form, instance: Instance) -> dict[str, Any]:
    """Check the service user's secret and issue it a token."""
    creds = read_client_auth(request, form)
    if not creds.client_id and not creds.client_assertion:
        raise invalid_request("client_id or client_assertion must be provided")
    if creds.client_assertion:
        if creds.client_assertion_type != ASSERTION_TYPE_JWT:
            raise invalid_request(f"client_assertion_type must be {ASSERTION_TYPE_JWT}")
        raise OAuthError(
            "invalid_client",
            "client_credentials needs the service user's client_id and client_secret; "
            "for a key, use the jwt-bearer grant",
        )
    user = instance.store.user_by_username(creds.client_id or "")
    if user is None:
        raise OAuthError("invalid_client", "client not found")
    if user.secret is None:
        raise invalid_request("Errors.User.Machine.Secret.NotExisting")
    if not user.secret.matches(creds.client_secret or ""):
        raise invalid_request("Errors.User.Machine.Secret.Invalid")
    if not user.active:
        raise invalid_request("Errors.User.NotActive")
    return token_response(instance, user, require_scope(form), amr=("pwd",))
