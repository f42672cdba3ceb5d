"""``POST /oauth/v2/token``: dispatch on ``grant_type`` (RFC 6749 §3.2, §5).

A map from grant type to handler; each handler returns the success body or raises
:class:`~mock_issuer.errors.OAuthError`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_issuer.errors import OAuthError, echo, invalid_request
from mock_issuer.forms import Form, read_form
from mock_issuer.grants import client_credentials, jwt_bearer
from mock_issuer.instance import Instance

GrantHandler = Callable[[Request, Form, Instance], Awaitable[dict[str, Any]]]

GRANTS: dict[str, GrantHandler] = {
    jwt_bearer.GRANT_TYPE: jwt_bearer.grant,
    client_credentials.GRANT_TYPE: client_credentials.grant,
}


async def handle(request: Request, instance: Instance) -> Response:
    """Run the grant the request names; RFC 6749 §5.1 forbids caching the answer."""
    form = await read_form(request)
    grant_type = form.get("grant_type")
    if not grant_type:
        raise invalid_request("grant_type missing")
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise OAuthError("unsupported_grant_type", f"{echo(grant_type)} not supported")
    body = await grant(request, form, instance)
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})
