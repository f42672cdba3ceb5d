"""Deciding whether a request's token is good: the `require_token(roles=...)` dependency.

RFC 6750 §2.1 (https://www.rfc-editor.org/rfc/rfc6750#section-2.1): the token is read from the
`Authorization` header only. A `Guard` decides: `TokenGuard` introspects the token (RFC 7662) and
validates the answer, `LocalJwtGuard` validates a JWT access token with the issuer's keys
(RFC 9068). Every refusal is a `ResourceError`, rendered by `oauthkit.fastapi.app`. The app's
lifespan puts the guard on `app.state.token_guard`; the dependency finds it there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx
from fastapi import Request

from oauthkit.bearer import QUERY_PARAMETER, implausible, parse_request
from oauthkit.clock import Clock
from oauthkit.credentials import digest, digest_fingerprint, fingerprint
from oauthkit.errors import InvalidToken
from oauthkit.fastapi.bearer_docs import mark_token_dependency
from oauthkit.introspection import Introspector
from oauthkit.local_jwt import LocalJwtValidator
from oauthkit.validation import Principal, TokenPolicy, require_roles, validate


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
        token = bearer_token(request)
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
        token = bearer_token(request)
        request.state.token_fingerprint = fingerprint(token)
        return await self.validator.validate(token, self.clock())


def bearer_token(request: Request) -> str:
    """The request's bearer token (RFC 6750 §2.1: the header only; see `parse_request`).

    Read from the ASGI scope as Starlette's ``headers.getlist`` and ``query_params`` would
    (header names come lowercased), without building either: 3.5 of a cached request's
    microseconds (``benchmarks/floor.py``)."""
    scope = request.scope
    query = scope.get("query_string")
    query_tokens = len(request.query_params.getlist(QUERY_PARAMETER)) if query else 0
    values = [value.decode("latin-1") for name, value in scope["headers"] if name == _HEADER]
    return parse_request(values, query_tokens)


_HEADER = b"authorization"


def require_token(roles: Sequence[str] = ()) -> Callable[..., Awaitable[Principal]]:
    """A dependency giving the request's `Principal`; it must hold every role in `roles`."""
    needed = tuple(roles)

    # Only `request`: each parameter FastAPI resolves costs every request (see `bearer_docs`).
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

    mark_token_dependency(dependency, needed)
    return dependency
