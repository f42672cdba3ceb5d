"""Sample APIs broken on purpose, to show the harness fails what should fail.

Each is an `ApiFactory` built from the real samples with one defect added: every token taken
as active (RFC 7662 §2.2 ignored), issuer errors crashing the request (a 500 instead of 503),
or tokens written to the log (RFC 6750 §5.3 ignored); for local JWT validation (RFC 9068 §4,
RFC 8725), a signature never checked, ``alg: none`` trusted, padding forgiven (RFC 7515 §2),
or ``aud`` ignored. Module-level
functions, so they pickle into worker processes.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import jwt
from fastapi import FastAPI, Request, Response
from starlette.types import ASGIApp

import api_basic_auth.app
import api_jwt.app
import api_local_jwt.app
from oauthkit import (
    ApiSettings,
    ApplicationKey,
    Discovery,
    JwksCache,
    JwtRules,
    LocalJwtValidator,
    Principal,
    PublicKey,
    system_clock,
    validate,
)
from oauthkit.fastapi import Guard, LocalJwtGuard, build_api, example_router


def _create(settings: ApiSettings[Any], **kwargs: Any) -> FastAPI:
    if isinstance(settings.credentials, ApplicationKey):
        return api_jwt.app.create_app(settings, **kwargs)
    return api_basic_auth.app.create_app(settings, **kwargs)


def _without_audience(settings: ApiSettings[Any]) -> ApiSettings[Any]:
    return dataclasses.replace(settings, policy=dataclasses.replace(settings.policy, audiences=()))


class _CrashOnIssuerError(httpx.AsyncBaseTransport):
    """Raises a plain exception when the issuer answers 5xx, as code without error handling does."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if response.status_code >= 500:
            await response.aclose()  # only the error handling is missing, not the cleanup
            raise RuntimeError("issuer failed and nobody handled it")
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def crashes_on_issuer_errors(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, but an issuer 5xx escapes as an unhandled exception (HTTP 500)."""
    return _create(settings, transport=_CrashOnIssuerError())


class _EverythingActive(httpx.AsyncBaseTransport):
    """Rewrites inactive introspection answers to ``{"active": true}``."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if not request.url.path.endswith("/introspect") or response.status_code != 200:
            return response
        body = json.loads(await response.aread())
        if body.get("active") is not True:
            body = {"active": True, "sub": "whoever"}
        return httpx.Response(200, json=body)

    async def aclose(self) -> None:
        await self._inner.aclose()


def ignores_active(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, but it never reads ``active`` (nor the audience): every token passes."""
    return _create(_without_audience(settings), transport=_EverythingActive())


def logs_tokens(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, but it logs every Authorization header, as the public examples print tokens."""
    app = _create(settings)
    logger = logging.getLogger("api_basic_auth.debugging")

    @app.middleware("http")
    async def log_authorization(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        logger.info("request %s with %s", request.url.path, request.headers.get("authorization"))
        return await call_next(request)

    return app


class _SkipsSignature(LocalJwtValidator):
    """Reads the claims without verifying the signature (``verify_signature: False``)."""

    def _claims(self, token: str, key: PublicKey, alg: str) -> dict[str, Any]:
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
        return claims


class _TrustsAlgNone(LocalJwtValidator):
    """Takes the token's own ``alg``; for ``none`` there is nothing to verify, so it doesn't."""

    async def validate(self, token: str, now: float) -> Principal:
        if jwt.get_unverified_header(token).get("alg") != "none":
            return await super().validate(token, now)
        claims = jwt.decode(token, options={"verify_signature": False})
        return validate({**claims, "active": True}, self.policy, now)


class _StripsPadding(LocalJwtValidator):
    """Forgives base64 padding, as a lenient decoder does: ``==`` is stripped before checking."""

    async def validate(self, token: str, now: float) -> Principal:
        return await super().validate(token.rstrip("="), now)


def _local_jwt_api(settings: ApiSettings[JwtRules], validator: type[LocalJwtValidator]) -> FastAPI:
    rules = settings.credentials

    def guard(http: httpx.AsyncClient) -> Guard:
        discovery = Discovery(http, settings.issuer)
        keys = JwksCache(http, discovery, cooldown=rules.jwks_refresh_cooldown)
        return LocalJwtGuard(validator(settings.issuer, keys, settings.policy, rules), system_clock)

    return build_api(settings.realm, example_router, guard, rules.jwks_timeout, lambda: None)


def skips_signature(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt, but the signature is never checked."""
    return _local_jwt_api(settings, _SkipsSignature)


def accepts_alg_none(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt, but a token saying ``alg: none`` is taken unsigned."""
    return _local_jwt_api(settings, _TrustsAlgNone)


def accepts_padding(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt, but a token with base64 padding appended is taken as the token."""
    return _local_jwt_api(settings, _StripsPadding)


def ignores_audience(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt, but any ``aud`` is accepted."""
    return api_local_jwt.app.create_app(_without_audience(settings))


def refetches_keys_for_every_unknown_kid(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt with no refresh cooldown: each unknown ``kid`` fetches the JWKS again."""
    rules = dataclasses.replace(settings.credentials, jwks_refresh_cooldown=0.0)
    return api_local_jwt.app.create_app(dataclasses.replace(settings, credentials=rules))
