"""The example resource the sample APIs serve, as in ZITADEL's examples.

| route | needs | answer |
|---|---|---|
| `GET /api/public` | nothing | 200 |
| `GET /api/private` | a valid token | 200, or 400/401 per RFC 6750 §3.1 |
| `GET /api/private-scoped` | a valid token with the role `read:messages` | 200, or 403 |
| `POST /api/messages` | a valid token; JSON `{"text": "..."}` (1 to 280 characters) | 201, or 422 |
| `GET /api/healthz` | nothing | 200 `{"status": "ok"}` |

The refusals, as RFC 6750 §3.1 (https://www.rfc-editor.org/rfc/rfc6750#section-3.1) defines
them and `oauthkit.fastapi.app` renders them (JSON `{"error", "error_description"}`):

| request | answer |
|---|---|
| no `Authorization`, or another scheme | 401, `WWW-Authenticate: Bearer realm="..."`, no code |
| malformed header (no token, two, characters outside b64token) | 400 `invalid_request` |
| unknown, inactive, expired, revoked or wrong-audience token | 401 `invalid_token` |
| `/api/private-scoped` without the role `read:messages` | 403 `insufficient_scope` |
| issuer down, slow, 5xx, bad JSON, or refusing the API's credentials | 503 |

The token is checked before the body: a request without a valid token gets its 401 whatever
its body, so the schema is not told to whoever has no token.

The routes live here, once, because the three sample APIs differ only in how they check a
token (private_key_jwt or client_secret_basic introspection, or a local JWT validation).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from oauthkit.fastapi.guard import require_token
from oauthkit.validation import Principal

READ_MESSAGES = "read:messages"
example_router = APIRouter(prefix="/api")
"""The example routes, for `create_api` and `create_local_jwt_api`."""


@example_router.get("/public")
async def public() -> dict[str, str]:
    """Anyone may read this."""
    return {"message": "Public: no token needed."}


@example_router.get("/private")
async def private(
    principal: Annotated[Principal, Depends(require_token())],
) -> dict[str, str | None]:
    """Any valid token may read this."""
    return {"message": "Private: your token is valid.", "sub": principal.sub}


@example_router.get("/private-scoped")
async def private_scoped(
    principal: Annotated[Principal, Depends(require_token(roles=[READ_MESSAGES]))],
) -> dict[str, str | None]:
    """Only a valid token with the role `read:messages` may read this."""
    return {"message": f"Private and scoped: you hold {READ_MESSAGES}.", "sub": principal.sub}


class NewMessage(BaseModel):
    """The body of `POST /api/messages`."""

    text: str = Field(min_length=1, max_length=280)


@example_router.post("/messages", status_code=201)
async def post_message(
    message: NewMessage,
    principal: Annotated[Principal, Depends(require_token())],
) -> dict[str, str | int | None]:
    """Any valid token may post a message (it is counted, not kept)."""
    return {"message": "Received.", "sub": principal.sub, "length": len(message.text)}


@example_router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process serves requests (the issuer is not asked)."""
    return {"status": "ok"}
