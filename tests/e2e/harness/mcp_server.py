"""A small MCP server on oauthkit (introspection, client_secret_basic), for the MCP checks' tests.

MCP's streamable HTTP transport at its smallest: ``POST /mcp`` (a valid token) and
``POST /scoped/mcp`` (the role ``read:messages``) answer ``initialize`` (with an
``Mcp-Session-Id``), notifications (202) and ``tools/list`` as JSON; ``DELETE`` ends a session.
The protected resource metadata (RFC 9728 §3) is served at
``/.well-known/oauth-protected-resource/<endpoint>``, and every 401 and 403 challenge names it
in ``resource_metadata`` (§5.1). ``MCP_DEFECT`` breaks it on purpose: ``trusts-session`` lets a
request with a known session id in without a token (the token of the request that opened it
is used), ``no-resource-metadata`` leaves ``resource_metadata`` out of the challenges.

    python -m tests.e2e.harness.mcp_server --env-file .env --port 0   (from the repository root)
"""

from __future__ import annotations

import os
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

WELL_KNOWN = "/.well-known/oauth-protected-resource"
ENDPOINTS = ("/mcp", "/scoped/mcp")
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


def _router(issuer: str) -> APIRouter:
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

    for endpoint in ENDPOINTS:

        @router.get(WELL_KNOWN + endpoint)
        async def metadata(request: Request, endpoint: str = endpoint) -> dict[str, Any]:
            base = str(request.base_url).rstrip("/")
            return {
                "resource": base + endpoint,
                "authorization_servers": [issuer],
                "bearer_methods_supported": ["header"],
                "scopes_supported": [READ_MESSAGES],
            }

    return router


class _NamesMetadata:
    """Adds ``resource_metadata`` to the challenge of every 401 and 403 (RFC 9728 §5.1)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = dict(scope["headers"]).get(b"host", b"").decode()
        url = f"http://{host}{WELL_KNOWN}{scope['path']}"

        async def named(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (401, 403):
                message["headers"] = [
                    (
                        k,
                        v + f', resource_metadata="{url}"'.encode()
                        if k == b"www-authenticate"
                        else v,
                    )
                    for k, v in message["headers"]
                ]
            await send(message)

        await self.app(scope, receive, named)


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
    app = create_api(settings, ClientSecretBasic(settings.credentials), _router(settings.issuer))
    defect = os.environ.get("MCP_DEFECT", "")
    if defect != "no-resource-metadata":
        app.add_middleware(_NamesMetadata)
    if defect == "trusts-session":
        app.add_middleware(_TrustsSession)
    return app


if __name__ == "__main__":
    sys.exit(
        run_api("mcp_server", sys.argv[1:], os.environ, load_basic_api_settings, create_app, 0)
    )
