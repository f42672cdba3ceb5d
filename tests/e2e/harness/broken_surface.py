"""api_basic_auth broken on purpose for the OpenAPI checks: one route without its guard.

Its OpenAPI document declares ``DELETE /api/messages/{message_id}`` secured by the bearer
scheme, as a document written ahead of the code (or a global ``security``) would, but the route
has no `require_token`: it answers 204 to anyone. Every other route is the sample's.
Module-level, so it pickles into workers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from starlette.types import ASGIApp

from oauthkit import ApiSettings, ClientSecretBasic
from oauthkit.fastapi import create_api, example_router

_SECURED = {"security": [{"HTTPBearer": []}]}


def _router() -> APIRouter:
    router = APIRouter()
    router.include_router(example_router)

    @router.delete("/api/messages/{message_id}", status_code=204, openapi_extra=_SECURED)
    async def delete_message(message_id: int) -> Response:
        """Declared secured; the guard was forgotten."""
        return Response(status_code=204)

    return router


def forgot_one_guard(settings: ApiSettings[Any]) -> ASGIApp:
    """api_basic_auth with one route more, declared secured and guarded by nothing."""
    return create_api(settings, ClientSecretBasic(settings.credentials), _router())
