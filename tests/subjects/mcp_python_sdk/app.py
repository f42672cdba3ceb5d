"""Glue: an MCP server on the official Python SDK (`mcp`), its tokens checked by introspection.

The SDK checks bearer tokens in its own middleware (`BearerAuthBackend`, `RequireAuthMiddleware`)
and leaves the token check to a `TokenVerifier` the developer writes. This one is written as the
SDK's example resource server shows it (`examples/servers/simple-auth`, `token_verifier.py`:
httpx2, the SDK's HTTP client; `active` read with `data.get("active", False)`; any exception
taken as an invalid token), but with one HTTP client for the process where the example opens one
per token (whose TLS trust store alone takes 20 ms of CPU to load: most of what this subject cost
the harness), and with what ZITADEL needs on top: client_secret_basic (httpx2's `auth=`), the
audience as ZITADEL sets it (the project id: ZITADEL has no RFC 8707 resource indicator), and
the project's roles (its own claim, else the generic one) given to the SDK as scopes. Two
servers in one app: `/mcp` (any valid token) and `/scoped/mcp` (`required_scopes=[ROLE]`), each
with its protected resource metadata (RFC 9728).
"""

import contextlib
import os

import httpx2
import uvicorn
from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from starlette.applications import Starlette

PORT = int(os.environ["PORT"])
BASE = f"http://127.0.0.1:{PORT}"
ROLE = os.environ.get("ROLE", "read:messages")
ROLES_CLAIM = "urn:zitadel:iam:org:project:roles"


# The example's timeouts; the client is closed with the app (lifespan).
HTTP = httpx2.AsyncClient(timeout=httpx2.Timeout(10.0, connect=5.0))


class IntrospectionTokenVerifier(TokenVerifier):
    """The SDK example's verifier, authenticating as the API app, with ZITADEL's audience."""

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            response = await HTTP.post(
                os.environ["INTROSPECTION_ENDPOINT"],
                data={"token": token},
                auth=(os.environ["API_CLIENT_ID"], os.environ["API_CLIENT_SECRET"]),
            )
            if response.status_code != 200:
                return None
            data = response.json()
            if not data.get("active", False):
                return None
            aud = data.get("aud")
            if os.environ["PROJECT_ID"] not in (aud if isinstance(aud, list) else [aud]):
                return None
            own = data.get(f"urn:zitadel:iam:org:project:{os.environ['PROJECT_ID']}:roles")
            roles = own if isinstance(own, dict) else data.get(ROLES_CLAIM)
            scopes = data.get("scope", "").split() if data.get("scope") else []
            return AccessToken(
                token=token,
                client_id=data.get("client_id", "unknown"),
                scopes=scopes + (list(roles) if isinstance(roles, dict) else []),
                expires_at=data.get("exp"),
                subject=data.get("sub"),
                claims=data,
            )
        except Exception:
            return None


def server(path: str, scopes: list[str] | None) -> Starlette:
    mcp = MCPServer(
        "harness-subject",
        token_verifier=IntrospectionTokenVerifier(),
        auth=AuthSettings(
            issuer_url=os.environ["ISSUER"],
            resource_server_url=BASE + path,
            required_scopes=scopes,
            validate_token_resource=False,  # the verifier checks ZITADEL's audience itself
        ),
    )

    @mcp.tool()
    def hello() -> str:
        """Says hello."""
        return "hello"

    return mcp.streamable_http_app(streamable_http_path=path)


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
