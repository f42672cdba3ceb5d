"""Glue: an MCP server on fastmcp, its tokens checked by one of fastmcp's own verifiers.

`VERIFIER=introspection`: `IntrospectionTokenVerifier` (RFC 7662, client_secret_basic);
`VERIFIER=jwt`: `JWTVerifier` (the issuer's JWKS, its issuer and audience). Each wrapped in a
`RemoteAuthProvider`, as fastmcp's docs show for a resource server whose tokens come from a known
authorization server (it serves the RFC 9728 metadata). The introspecting verifier is given one
HTTP client for the process (its `http_client`, "for connection pooling"), as a server in
production is; without it, fastmcp makes a client per token, whose TLS trust store alone takes
20 ms of CPU to load: most of what this subject cost the harness. The audience is ZITADEL's
(the project id). Two servers in one app: `/mcp` (any valid token) and `/scoped/mcp`
(`required_scopes=[ROLE]`: fastmcp looks for it in the token's `scope`, as for every issuer).
"""

import contextlib
import os

import httpx2
import uvicorn
from fastmcp import FastMCP
from fastmcp.server.auth import RemoteAuthProvider
from fastmcp.server.auth.providers.introspection import IntrospectionTokenVerifier
from fastmcp.server.auth.providers.jwt import JWTVerifier
from starlette.applications import Starlette

PORT = int(os.environ["PORT"])
BASE = f"http://127.0.0.1:{PORT}"
ISSUER = os.environ["ISSUER"]
# fastmcp's own timeout for the client it would make (timeout_seconds, 10 s by default).
HTTP = httpx2.AsyncClient(timeout=10)


def verifier(scopes: list[str] | None):
    if os.environ["VERIFIER"] == "jwt":
        return JWTVerifier(
            jwks_uri=os.environ["JWKS_URI"],
            issuer=ISSUER,
            audience=os.environ["PROJECT_ID"],
            required_scopes=scopes,
            # Its least time between two key-set fetches (30 s by default), from the file's
            # jwks_cooldown: the harness's key-set checks wait exactly that.
            jwks_refresh_interval=float(os.environ.get("JWKS_REFRESH_INTERVAL", "30")),
        )
    return IntrospectionTokenVerifier(
        introspection_url=os.environ["INTROSPECTION_ENDPOINT"],
        client_id=os.environ["API_CLIENT_ID"],
        client_secret=os.environ["API_CLIENT_SECRET"],
        audience=os.environ["PROJECT_ID"],
        required_scopes=scopes,
        http_client=HTTP,
    )


def server(path: str, scopes: list[str] | None) -> Starlette:
    auth = RemoteAuthProvider(
        token_verifier=verifier(scopes), authorization_servers=[ISSUER], base_url=BASE
    )
    mcp = FastMCP("harness-subject", auth=auth)

    @mcp.tool
    def hello() -> str:
        """Says hello."""
        return "hello"

    return mcp.http_app(path=path)


ROLE = os.environ.get("ROLE", "read:messages")
main, scoped = server("/mcp", None), server("/scoped/mcp", [ROLE])


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):
    async with HTTP, main.router.lifespan_context(main), scoped.router.lifespan_context(scoped):
        yield


app = Starlette(
    routes=[*main.routes, *scoped.routes], middleware=main.user_middleware, lifespan=lifespan
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="info")
