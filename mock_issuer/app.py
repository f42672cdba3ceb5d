"""The mock issuer's ASGI app: routes, the one error handler, the fault layer (RFC 6749 §5.2).

Every endpoint is a ``handle(request, instance)`` coroutine in its own module; :func:`guarded`
binds it to the instance and turns any exception into an RFC error body, so no request ever
gets a traceback. Redirects (a known path with a stray trailing slash) are built from the
configured issuer URL, never from the request's ``Host``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from mock_issuer import paths
from mock_issuer.endpoints import discovery, introspect, jwks, revoke, userinfo
from mock_issuer.endpoints import token as token_endpoint
from mock_issuer.errors import OAuthError, handle_http_exception, render
from mock_issuer.faults import FaultLayer
from mock_issuer.instance import Instance
from mock_issuer.lie_layer import LieLayer

logger = logging.getLogger("mock_issuer")

Handler = Callable[[Request, Instance], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]
ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]


def guarded(handler: Handler, instance: Instance) -> Endpoint:
    """Bind ``handler`` to ``instance``; render every exception as an RFC error body.

    :class:`OAuthError` renders as itself; a client that disconnected is logged in one line;
    anything else is a 500 ``server_error``, logged with its traceback, never echoed.
    """

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, instance)
        except OAuthError as exc:
            logger.info("%s %s -> %s %s", request.method, request.url.path, exc.status, exc.error)
            return render(exc)
        except ClientDisconnect:
            # The client went away before its body arrived: its loss, not the issuer's fault.
            logger.info("%s %s: client disconnected mid-request", request.method, request.url.path)
            return Response(status_code=499)
        except Exception as exc:
            logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
            return render(OAuthError("server_error", "Errors.Internal", status=500))

    return endpoint


def http_error(instance: Instance, known: frozenset[str]) -> ErrorHandler:
    """Render Starlette's 404/405 as JSON error bodies; a known path asked for with or without
    a trailing slash is a 307 to that path under the configured issuer URL, never to the
    request's ``Host`` (RFC 9110 §7.2: a client's claim, not the issuer's name)."""

    async def handle(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        path: str = request.scope["path"]
        other = path[:-1] if path.endswith("/") else path + "/"
        if exc.status_code == 404 and other in known:
            query = request.scope.get("query_string", b"").decode("latin-1")
            location = instance.issuer + other + (f"?{query}" if query else "")
            return RedirectResponse(location, status_code=307)
        return await handle_http_exception(request, exc)

    return handle


def build_app(instance: Instance) -> ASGIApp:
    """The issuer app for ``instance``, wrapped in its lie layer, then its fault layer."""
    routes = [
        Route(paths.DISCOVERY, guarded(discovery.handle, instance), methods=["GET"]),
        Route(paths.TOKEN, guarded(token_endpoint.handle, instance), methods=["POST"]),
        Route(paths.INTROSPECTION, guarded(introspect.handle, instance), methods=["POST"]),
        Route(paths.REVOCATION, guarded(revoke.handle, instance), methods=["POST"]),
        Route(paths.JWKS, guarded(jwks.handle, instance), methods=["GET"]),
        Route(paths.USERINFO, guarded(userinfo.handle, instance), methods=["GET", "POST"]),
    ]
    known = frozenset(route.path for route in routes)
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error(instance, known)})
    app.router.redirect_slashes = False  # Starlette's would build Location from the Host header
    lying = LieLayer(app, instance.lies, instance.now, lambda: instance.issuer)
    return FaultLayer(lying, instance.faults)
