"""A small MCP server on oauthkit (introspection, client_secret_basic), for the MCP checks' tests.

MCP's streamable HTTP transport at its smallest: ``POST /mcp`` (a valid token) and
``POST /scoped/mcp`` (the role ``read:messages``) answer ``initialize`` (with an
``Mcp-Session-Id``), notifications (202) and ``tools/list`` as JSON; ``DELETE`` ends a session.
The protected resource metadata (RFC 9728 §3) is oauthkit's: served at
``/.well-known/oauth-protected-resource/<endpoint>``, and every 401 and 403 challenge names it
in ``resource_metadata`` (§5.1). ``MCP_DEFECT`` breaks it on purpose: ``trusts-session`` lets a
request with a known session id in without a token (the token of the request that opened it
is used), ``no-resource-metadata`` leaves ``resource_metadata`` out of the challenges.

    python -m tests.e2e.harness.mcp_server --env-file .env --port 0   (from the repository root)
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oauthkit import (
    ApiSettings,
    ClientSecret,
    ClientSecretBasic,
    Principal,
    load_basic_api_settings,
)
from oauthkit.fastapi import READ_MESSAGES, create_api, require_token, run_api

TOOL = {"name": "hello", "description": "Says hello.", "inputSchema": {"type": "object"}}
SESSIONS: dict[str, str] = {}  # session id -> the Authorization header that opened it
Valid = Annotated[Principal, Depends(require_token())]
Scoped = Annotated[Principal, Depends(require_token(roles=[READ_MESSAGES]))]


async def _answer(request: Request) -> Response:
    message: dict[str, Any] = await request.json()
    if "id" not in message:
        return Response(status_code=202)  # a notification
    reply: dict[str, Any] = {"jsonrpc": "2.0", "id": message["id"]}
    headers = {}
    if message.get("method") == "initialize":
        session = secrets.token_hex(16)
        SESSIONS[session] = request.headers.get("authorization", "")
        headers["Mcp-Session-Id"] = session
        version = (message.get("params") or {}).get("protocolVersion", "2025-11-25")
        info = {"name": "harness-test-mcp", "version": "1"}
        reply["result"] = {
            "protocolVersion": version,
            "capabilities": {"tools": {}},
            "serverInfo": info,
        }
    elif message.get("method") == "tools/list":
        reply["result"] = {"tools": [TOOL]}
    else:
        reply["error"] = {"code": -32601, "message": "Method not found"}
    return JSONResponse(reply, headers=headers)


def _router() -> APIRouter:
    router = APIRouter()

    @router.get("/api/public")
    async def public() -> dict[str, str]:
        return {"message": "Public: no token needed."}

    @router.post("/mcp")
    async def mcp(request: Request, principal: Valid) -> Response:
        return await _answer(request)

    @router.post("/scoped/mcp")
    async def mcp_scoped(request: Request, principal: Scoped) -> Response:
        return await _answer(request)

    @router.delete("/mcp")
    async def end(principal: Valid) -> Response:
        return Response(status_code=204)

    return router


_NAMED = re.compile(rb', resource_metadata="[^"]*"')


class _NamesNoMetadata:
    """The defect: ``resource_metadata`` taken out of every challenge (RFC 9728 §5.1)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def unnamed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message["headers"]
                message["headers"] = [(k, _NAMED.sub(b"", v)) for k, v in headers]
            await send(message)

        await self.app(scope, receive, unnamed)


class _TrustsSession:
    """The defect: a request with a known session id and no token gets the opener's token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", []))
        session = headers.get(b"mcp-session-id", b"").decode()
        if scope["type"] == "http" and b"authorization" not in headers and session in SESSIONS:
            opener = SESSIONS[session].encode()
            scope = {**scope, "headers": [*scope["headers"], (b"authorization", opener)]}
        await self.app(scope, receive, send)


def create_app(settings: ApiSettings[ClientSecret]) -> FastAPI:
    """The MCP server, with the defect ``MCP_DEFECT`` names (none by default)."""
    app = create_api(settings, ClientSecretBasic(settings.credentials), _router())
    defect = os.environ.get("MCP_DEFECT", "")
    if defect == "no-resource-metadata":
        app.add_middleware(_NamesNoMetadata)
    if defect == "trusts-session":
        app.add_middleware(_TrustsSession)
    return app


if __name__ == "__main__":
    sys.exit(
        run_api("mcp_server", sys.argv[1:], os.environ, load_basic_api_settings, create_app, 0)
    )
