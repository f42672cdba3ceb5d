"""``POST /oauth/v2/introspect`` (RFC 7662 §2, spec §3).

Order, as ZITADEL: client authentication must be present (else 400 ``invalid_client``), then
``token`` (else 400 ``invalid_request``), then the API app is verified (else 400
``unauthorized_client``; a client error wins over a token error). Every token problem,
including an audience that names neither the app nor its project, is ``200 {"active": false}``.
An unparsable ``client_assertion`` is also ``{"active": false}``, as in ZITADEL.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_issuer.claims import active_response, audience_accepts
from mock_issuer.endpoints.client_auth import (
    UnparsableAssertion,
    authenticate_app,
    require_credentials,
)
from mock_issuer.errors import invalid_request
from mock_issuer.forms import read_client_auth, read_form
from mock_issuer.instance import Instance
from mock_issuer.model import AppRecord
from mock_issuer.records import describe
from mock_issuer.role_shapes import reshape
from mock_issuer.tokens import resolve

logger = logging.getLogger(__name__)
INACTIVE: dict[str, Any] = {"active": False}


def _answer(body: dict[str, Any]) -> Response:
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def introspect(instance: Instance, app: AppRecord, token: str) -> dict[str, Any]:
    """The introspection answer for ``token`` as seen by ``app``."""
    now = instance.now()
    record = resolve(instance, token)
    if record is None or record.revoked or now >= record.expires_at:
        return INACTIVE
    view = instance.store.owner_view(record, app)
    if view is None or not view.user.active or not audience_accepts(record, app):
        return INACTIVE
    answer = active_response(
        record=record,
        user=view.user,
        org=view.org,
        app=app,
        project=view.project,
        issuer=instance.issuer,
    )
    shape = instance.role_shape
    return answer if shape is None else reshape(answer, shape, app.project_id)


async def handle(request: Request, instance: Instance) -> Response:
    """Authenticate the API app, then answer for the token."""
    # Counted for benchmarks (calls that reach the issuer); one event loop serves every request.
    instance.introspection_calls += 1
    form = await read_form(request)
    authorization = request.headers.get("authorization", "")
    user_agent = request.headers.get("user-agent", "")
    instance.introspections.add(describe(authorization, form, instance.now(), user_agent))
    creds = read_client_auth(request, form)
    require_credentials(creds)
    token = form.get("token")
    if not token:
        raise invalid_request("token missing")
    try:
        app = authenticate_app(instance, creds, token)
    except UnparsableAssertion:
        logger.info("introspection: client_assertion is not a JWT; answering inactive")
        return _answer(INACTIVE)
    return _answer(introspect(instance, app, token))
