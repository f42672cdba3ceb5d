"""The sample APIs as FastAPI apps: the lifespan, the guard, and the one handler for errors.

RFC 6750 §3 (https://www.rfc-editor.org/rfc/rfc6750#section-3): every refusal is a
`ResourceError` that the handler renders as JSON with its status and `WWW-Authenticate`
challenge, and logs in one line with the reason and the token's fingerprint, never the token.

`create_api()` builds an introspecting app, `create_local_jwt_api()` one that validates JWT
access tokens itself (`oauthkit.local_jwt`); both through `build_api()`: one `httpx.AsyncClient`
for the process, opened in the lifespan and closed on shutdown (tests inject a transport and a
clock), and the guard (`oauthkit.fastapi.guard`) that `require_token` asks. The OpenAPI page
shows the bearer scheme; the protected resource metadata (RFC 9728) names the issuer, and every
401 and 403 challenge names the metadata's URL. The parsing is oauthkit's own, so the answers
are RFC 6750's, not FastAPI's.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from oauthkit.client_auth import ClientAuth
from oauthkit.clock import Clock, system_clock
from oauthkit.discovery import Discovery
from oauthkit.errors import IssuerError, ResourceError
from oauthkit.fastapi.bearer_docs import document_bearer_scheme
from oauthkit.fastapi.guard import Guard, GuardFactory, LocalJwtGuard, TokenGuard
from oauthkit.fastapi.openapi_page import add_openapi_page
from oauthkit.fastapi.resource_metadata import add_resource_metadata, metadata_url
from oauthkit.fetch import FetchLimits
from oauthkit.introspection import Introspector
from oauthkit.jwks import JwksCache
from oauthkit.local_jwt import JwtRules, LocalJwtValidator
from oauthkit.settings import ApiSettings
from oauthkit.transport import issuer_client

logger = logging.getLogger("oauthkit.api")


async def render_error(request: Request, exc: Exception) -> Response:
    """Render a `ResourceError` (RFC 6750 §3) and log the refusal without the token."""
    if not isinstance(exc, ResourceError):  # pragma: no cover - registered for ResourceError
        raise exc
    level = logging.ERROR if isinstance(exc, IssuerError) else logging.INFO
    if logger.isEnabledFor(level):  # the line's arguments cost a refusal even when not logged
        logger.log(
            level,
            "denied %s %s with %d %s: %s (token %s)",
            request.method,
            request.url.path,
            exc.status,
            exc.error or "(no error code)",
            exc,
            getattr(request.state, "token_fingerprint", "none"),
        )
    challenge = exc.challenge(request.app.state.realm)
    names_metadata = getattr(request.app.state, "resource_metadata", False)
    if challenge and exc.status in (401, 403) and names_metadata:
        challenge += f', resource_metadata="{metadata_url(request)}"'  # RFC 9728 §5.1
    headers = {"WWW-Authenticate": challenge} if challenge else {}
    if isinstance(exc, IssuerError):
        headers.update(exc.headers())
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers or None)


def create_api(
    settings: ApiSettings[Any],
    client_auth: ClientAuth,
    router: APIRouter,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """An app serving `router`, checking tokens by introspection with `client_auth`."""
    now = clock or system_clock

    def guard(http: httpx.AsyncClient) -> Guard:
        introspector = Introspector(
            http,
            settings.issuer,
            client_auth,
            clock=now,
            cache_ttl=settings.introspection_cache_ttl,
            deadline_s=settings.introspection_timeout,
            max_answer_bytes=settings.introspection_max_bytes,
        )
        return TokenGuard(introspector, settings.policy, now)

    def log_start() -> None:
        _log_start(settings, client_auth)

    limit = settings.introspection_timeout
    return build_api(
        settings.realm, router, guard, limit, log_start, transport=transport, issuer=settings.issuer
    )


def create_local_jwt_api(
    settings: ApiSettings[JwtRules],
    router: APIRouter,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """An app serving `router`, validating JWT access tokens with the issuer's JWKS."""
    now, rules = clock or system_clock, settings.credentials

    def guard(http: httpx.AsyncClient) -> Guard:
        limits = FetchLimits(rules.jwks_timeout, rules.jwks_max_bytes)
        discovery = Discovery(http, settings.issuer, limits)
        cooldown = rules.jwks_refresh_cooldown
        keys = JwksCache(http, discovery, clock=now, cooldown=cooldown, limits=limits)
        validator = LocalJwtValidator(settings.issuer, keys, settings.policy, rules)
        return LocalJwtGuard(validator, now)

    def log_start() -> None:
        _log_local_jwt_start(settings)

    limit = rules.jwks_timeout
    return build_api(
        settings.realm, router, guard, limit, log_start, transport=transport, issuer=settings.issuer
    )


def build_api(
    realm: str,
    router: APIRouter,
    make_guard: GuardFactory,
    timeout_s: float,
    on_start: Callable[[], None],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    issuer: str | None = None,
) -> FastAPI:
    """An app serving `router` whose tokens `make_guard(http)` checks; errors per RFC 6750;
    with `issuer`, its protected resource metadata (RFC 9728) too."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with issuer_client(timeout_s, transport) as http:
            app.state.token_guard = make_guard(http)
            on_start()
            yield
            del app.state.token_guard

    app = FastAPI(title=realm, lifespan=lifespan, docs_url=None, redoc_url=None)
    add_openapi_page(app)
    app.state.realm = realm
    app.add_exception_handler(ResourceError, render_error)
    app.include_router(router)
    document_bearer_scheme(app, router)
    if issuer is not None:
        add_resource_metadata(app, router, issuer)
    return app


def _log_start(settings: ApiSettings[Any], client_auth: ClientAuth) -> None:
    logger.info(
        "%s: introspecting at %s as client %s (%s); accepted audiences: %s",
        settings.realm,
        settings.issuer,
        client_auth.client_id,
        client_auth.method,
        ", ".join(settings.policy.audiences) or "any (check off)",
    )
    for warning in settings.warnings:
        logger.warning("%s: %s", settings.realm, warning)


def _log_local_jwt_start(settings: ApiSettings[JwtRules]) -> None:
    rules = settings.credentials
    logger.info(
        "%s: validating JWT access tokens locally with the keys of %s (%s, typ %s); accepted "
        "audiences: %s",
        settings.realm,
        settings.issuer,
        ", ".join(rules.algorithms),
        rules.typ,
        ", ".join(settings.policy.audiences) or "any (check off)",
    )
    for warning in settings.warnings:
        logger.warning("%s: %s", settings.realm, warning)
