"""Protected resource metadata (RFC 9728) for an API's protected routes, named in its challenges.

RFC 9728 §3 (https://www.rfc-editor.org/rfc/rfc9728#section-3): the metadata of the resource
`http://api.example/api/private` is at `http://api.example/.well-known/oauth-protected-resource/
api/private`, and its `resource` is identical to the resource's URL (§3.3); §5.1: a refusal's
`WWW-Authenticate` challenge names it in `resource_metadata`, so a refused client finds the
issuer and the scopes to ask for. One document per protected route (and one for the origin, at
the root of the well-known URI), alike but for `resource`: the issuer as the one authorization
server, `bearer_methods_supported` `["header"]` (oauthkit reads the header only) and the roles
the routes need as `scopes_supported`. The base URL is the request's (the API does not know
its public name otherwise); another route's path gets 404.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from oauthkit.fastapi.bearer_docs import token_routes

WELL_KNOWN = "/.well-known/oauth-protected-resource"
_PARAMETER = re.compile(r"\\\{[^/]*?\\\}")  # a `{name}` of a path template, once escaped


def add_resource_metadata(app: FastAPI, router: APIRouter, issuer: str) -> None:
    """Serve the metadata of each protected route of `router` (and of the origin), and make the
    app's 401 and 403 challenges name it (`render_error` reads `app.state.resource_metadata`)."""
    routes = list(token_routes(router))
    patterns = [re.compile(_PARAMETER.sub("[^/]+", re.escape(path))) for path, _, _ in routes]
    scopes = list(dict.fromkeys(role for _, _, roles in routes for role in roles))
    realm = str(app.title)

    async def metadata(request: Request, resource: str = "") -> JSONResponse:
        path = "/" + resource if resource else ""
        if path and not any(pattern.fullmatch(path) for pattern in patterns):
            return JSONResponse({"error_description": "No protected resource here."}, 404)
        document = {
            "resource": _base(request) + path,
            "authorization_servers": [issuer],
            "bearer_methods_supported": ["header"],
            "scopes_supported": scopes,
            "resource_name": realm,
        }
        return JSONResponse(document)

    app.add_api_route(WELL_KNOWN, metadata, methods=["GET"], include_in_schema=False)
    app.add_api_route(WELL_KNOWN + "/{resource:path}", metadata, methods=["GET"],
                      include_in_schema=False)  # fmt: skip
    app.state.resource_metadata = True


def metadata_url(request: Request) -> str:
    """The URL of the metadata of the resource `request` asked for (RFC 9728 §3.1)."""
    return _base(request) + WELL_KNOWN + quote(request.url.path)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")
