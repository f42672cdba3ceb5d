"""The bearer scheme in an API's OpenAPI document, without a per-request dependency.

RFC 6750 §2.1 (https://www.rfc-editor.org/rfc/rfc6750#section-2.1): the protected routes take
`Authorization: Bearer <token>`. FastAPI documents a scheme only for routes that declare a
`Security(HTTPBearer())` parameter, which it then resolves on every request (a sub-dependency
whose answer oauthkit never reads: it parses the header itself, and answers per RFC 6750).
Here the scheme is added to the document when it is built, to every operation whose route
depends on a dependency marked with `mark_token_dependency()`: the page is the same, the
requests do not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from weakref import WeakSet

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

SCHEME = "HTTPBearer"
DESCRIPTION = "An access token, checked by introspection (RFC 7662)."
_token_dependencies: WeakSet[Callable[..., Any]] = WeakSet()


def mark_token_dependency(dependency: Callable[..., Any]) -> None:
    """Record `dependency` as one that reads the bearer token (for the OpenAPI document)."""
    _token_dependencies.add(dependency)


def document_bearer_scheme(app: FastAPI, router: APIRouter) -> None:
    """Make `app.openapi()` add the bearer scheme to each operation of `router` (included in
    `app` without a prefix) that needs a token."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        if SCHEME not in schemes:
            schemes[SCHEME] = {"type": "http", "description": DESCRIPTION, "scheme": "bearer"}
            for route in _token_routes(router):
                for method in route.methods or ():
                    operation = schema["paths"][route.path_format][method.lower()]
                    operation["security"] = [{SCHEME: []}]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented extension point


def _token_routes(router: APIRouter) -> Iterator[APIRoute]:
    for route in router.routes:
        if isinstance(route, APIRoute) and _needs_token(route.dependant):
            yield route


def _needs_token(dependant: Dependant) -> bool:
    return any(
        sub.call in _token_dependencies or _needs_token(sub) for sub in dependant.dependencies
    )
