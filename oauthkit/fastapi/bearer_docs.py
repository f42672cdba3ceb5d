"""The bearer scheme in an API's OpenAPI document, without a per-request dependency.

RFC 6750 §2.1 (https://www.rfc-editor.org/rfc/rfc6750#section-2.1): the protected routes take
`Authorization: Bearer <token>`. FastAPI documents a scheme only for routes that declare a
`Security(HTTPBearer())` parameter, which it then resolves on every request (a sub-dependency
whose answer oauthkit never reads: it parses the header itself, and answers per RFC 6750).
Here the scheme is added to the document when it is built, to every operation whose route
depends on a dependency marked with `mark_token_dependency()`: the page is the same, the
requests do not pay for it. The roles a route needs are named in its security requirement
(OpenAPI 3.1 §4.8.30: for schemes other than OAuth 2.0, the list MAY hold role names), so a
client, or the harness, can read which operations need which role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

SCHEME = "HTTPBearer"
DESCRIPTION = "An access token, checked by introspection (RFC 7662)."
_token_dependencies: WeakKeyDictionary[Callable[..., Any], tuple[str, ...]] = WeakKeyDictionary()


def mark_token_dependency(dependency: Callable[..., Any], roles: Sequence[str] = ()) -> None:
    """Record `dependency` as one that reads the bearer token and needs `roles`."""
    _token_dependencies[dependency] = tuple(roles)


def document_bearer_scheme(app: FastAPI, router: APIRouter) -> None:
    """Make `app.openapi()` add the bearer scheme to each operation of `router` (included in
    `app` without a prefix) that needs a token, naming the roles it needs."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        if SCHEME not in schemes:
            schemes[SCHEME] = {"type": "http", "description": DESCRIPTION, "scheme": "bearer"}
            for path, methods, roles in token_routes(router):
                for method in methods:
                    operation = schema["paths"][path][method.lower()]
                    operation["security"] = [{SCHEME: list(roles)}]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented extension point


def token_routes(router: APIRouter) -> Iterator[tuple[str, set[str], tuple[str, ...]]]:
    """Each route needing a token (those of routers it includes too): path, methods, roles."""
    for context in iter_route_contexts(router.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema:
            roles = _token_roles(route.dependant)
            if roles is not None and context.path_format is not None:
                yield context.path_format, set(context.methods or ()), roles


def _token_roles(dependant: Dependant) -> tuple[str, ...] | None:
    """The roles the route's token dependencies need (None: it needs no token)."""
    found: tuple[str, ...] | None = None
    for sub in dependant.dependencies:
        roles = _marked_roles(sub.call)
        inner = _token_roles(sub) if roles is None else roles
        if inner is not None:
            found = tuple(dict.fromkeys((*(found or ()), *inner)))
    return found


def _marked_roles(call: Callable[..., Any] | None) -> tuple[str, ...] | None:
    try:
        return _token_dependencies.get(call) if call is not None else None
    except TypeError:  # a callable that cannot be weakly referenced was never marked
        return None
