"""FastAPI glue: the `require_token(roles=...)` dependency and the one handler for its errors.

RFC 6750 §2.1 and §3 (https://www.rfc-editor.org/rfc/rfc6750#section-3): the dependency reads
the bearer token, introspects it (RFC 7662) and validates the answer; every refusal is a
`ResourceError` that the handler renders as JSON with its status and `WWW-Authenticate`
challenge, and logs in one line with the reason and the token's fingerprint, never the token.

`create_api()` builds an introspecting app, `create_local_jwt_api()` one that validates JWT
access tokens itself (`oauthkit.local_jwt`); both through `build_api()`: one `httpx.AsyncClient`
for the process, opened in the lifespan and closed on shutdown (tests inject a transport and a
clock). The OpenAPI page shows the bearer scheme; the parsing is oauthkit's own, so the answers
are RFC 6750's, not FastAPI's.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from oauthkit import bearer_docs
from oauthkit.bearer import QUERY_PARAMETER, implausible, parse_request
from oauthkit.clock import Clock, system_clock
from oauthkit.credentials import digest, digest_fingerprint, fingerprint
from oauthkit.discovery import Discovery
from oauthkit.errors import InvalidToken, IssuerError, ResourceError
from oauthkit.introspection import ClientAuth, Introspector
from oauthkit.jwks import JwksCache
from oauthkit.local_jwt import JwtRules, LocalJwtValidator
from oauthkit.openapi_page import add_openapi_page
from oauthkit.settings import ApiSettings
from oauthkit.transport import issuer_client
from oauthkit.validation import Principal, TokenPolicy, require_roles, validate

logger = logging.getLogger("oauthkit.api")


class Guard(Protocol):
    """Decides whether a request's token is good."""

    async def principal(self, request: Request) -> Principal:
        """The principal of the request's token, or a `ResourceError` saying why not."""


GuardFactory = Callable[[httpx.AsyncClient], Guard]


@dataclass(frozen=True)
class TokenGuard:
    """Decides whether a request's token is good: parse, introspect, validate."""

    introspector: Introspector
    policy: TokenPolicy
    clock: Clock

    async def principal(self, request: Request) -> Principal:
        """The principal of the request's token, or a `ResourceError` saying why not."""
        token = request_token(request)
        problem = implausible(token)
        if problem:  # not worth the issuer's time
            raise InvalidToken(problem)
        token_digest = digest(token)  # hashed once: the cache key and the log fingerprint
        request.state.token_fingerprint = digest_fingerprint(token_digest)
        answer = await self.introspector.introspect(token, token_digest)
        return validate(answer, self.policy, self.clock())


@dataclass(frozen=True)
class LocalJwtGuard:
    """Decides whether a request's token is good: parse, validate the JWT with the issuer's keys."""

    validator: LocalJwtValidator
    clock: Clock

    async def principal(self, request: Request) -> Principal:
        """The principal of the request's JWT, or a `ResourceError` saying why not."""
        token = request_token(request)
        request.state.token_fingerprint = fingerprint(token)
        return await self.validator.validate(token, self.clock())


def request_token(request: Request) -> str:
    """The request's bearer token (RFC 6750 §2.1: the header only; see `parse_request`)."""
    query_tokens = len(request.query_params.getlist(QUERY_PARAMETER))
    return parse_request(request.headers.getlist("authorization"), query_tokens)


def require_token(roles: Sequence[str] = ()) -> Callable[..., Awaitable[Principal]]:
    """A dependency giving the request's `Principal`; it must hold every role in `roles`."""
    needed = tuple(roles)

    # Only `request`: each parameter FastAPI resolves costs every request (see bearer_docs).
    async def dependency(request: Request) -> Principal:
        guard: Guard | None = getattr(request.app.state, "token_guard", None)
        if guard is None:
            raise RuntimeError(
                "the app's lifespan has not run, so it has no HTTP client for the issuer: serve "
                "it with lifespan events on (uvicorn's default, lifespan='auto' or 'on')"
            )
        principal = await guard.principal(request)
        require_roles(principal, needed)
        return principal

    bearer_docs.mark(dependency)
    return dependency


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
    return build_api(settings.realm, router, guard, limit, log_start, transport=transport)


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
        discovery = Discovery(http, settings.issuer)
        keys = JwksCache(http, discovery, clock=now, cooldown=rules.jwks_refresh_cooldown)
        validator = LocalJwtValidator(settings.issuer, keys, settings.policy, rules)
        return LocalJwtGuard(validator, now)

    def log_start() -> None:
        _log_local_jwt_start(settings)

    limit = rules.jwks_timeout
    return build_api(settings.realm, router, guard, limit, log_start, transport=transport)


def build_api(
    realm: str,
    router: APIRouter,
    make_guard: GuardFactory,
    timeout_s: float,
    on_start: Callable[[], None],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """An app serving `router` whose tokens `make_guard(http)` checks; errors per RFC 6750."""

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
    bearer_docs.document(app, router)
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
