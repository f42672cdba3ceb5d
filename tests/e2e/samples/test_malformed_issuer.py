"""Malformed HTTP from the issuer (13 shapes of broken framing) at the introspection endpoint,
the JWKS or the discovery document: every sample API answers 503 with the RFC 6750 body and
logs a line naming the call and the cause, never a 500; the service users' token request fails
as an issuer error, never a traceback.

The APIs run in-process (`httpx.ASGITransport`) with their real transport to the issuer
(aiohttp), and the issuer is `hostile_issuer`'s raw server on a free loopback port.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

import api_basic_auth.app
import api_jwt.app
import api_local_jwt.app
from oauthkit import (
    ApiSettings,
    ApplicationKey,
    ClientCredentialsGrant,
    ClientSecret,
    ClientSettings,
    GrantError,
    IssuerError,
    JwtRules,
    TokenPolicy,
)

from .hostile_issuer import SHAPES, HostileServer, Issuer, hostile_server

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
AppFactory = Callable[[Issuer], FastAPI]
ACTIONS = {"introspection": "introspection at", "jwks": "JWKS at", "discovery": "discovery at"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with hostile_server() as server:
        yield server


@cache
def api_key() -> ApplicationKey:
    """The API app's key (made once: RSA keys are slow to make)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ApplicationKey(key_id="api-key", private_key=private, app_id="app", client_id="api")


def _settings(issuer: Issuer, credentials: Any, realm: str) -> ApiSettings[Any]:
    policy = TokenPolicy(issuer=issuer.url)
    return ApiSettings(issuer.url, credentials, policy, realm, introspection_timeout=10.0)


def _api_jwt(issuer: Issuer) -> FastAPI:
    return api_jwt.app.create_app(_settings(issuer, api_key(), "api_jwt"))


def _api_basic_auth(issuer: Issuer) -> FastAPI:
    secret = ClientSecret("api", "api-secret")
    return api_basic_auth.app.create_app(_settings(issuer, secret, "api_basic_auth"))


def _api_local_jwt(issuer: Issuer) -> FastAPI:
    rules = JwtRules(jwks_timeout=10.0)
    return api_local_jwt.app.create_app(_settings(issuer, rules, "api_local_jwt"))


APIS: dict[str, AppFactory] = {
    "api_jwt": _api_jwt,
    "api_basic_auth": _api_basic_auth,
    "api_local_jwt": _api_local_jwt,
}
CALLS = {
    "introspection": ("api_jwt", "api_basic_auth"),
    "jwks": ("api_local_jwt",),
    "discovery": ("api_jwt", "api_basic_auth", "api_local_jwt"),
}
CASES = [
    pytest.param(endpoint, api, shape, id=f"{endpoint}-{api}-{shape}")
    for endpoint, apis in CALLS.items()
    for api in apis
    for shape in SHAPES
]


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `app` in-process, its lifespan (and its aiohttp client) running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client


def token_for(api: str, issuer: Issuer) -> str:
    """A token the API takes to the issuer: a JWT for local validation, else an opaque one."""
    return issuer.jwt() if api == "api_local_jwt" else "opaque-token-of-the-test"


@pytest.mark.parametrize(("endpoint", "api", "shape"), CASES)
async def test_a_malformed_answer_from_the_issuer_is_a_503_never_a_500(
    hostile: HostileServer, caplog: pytest.LogCaptureFixture, endpoint: str, api: str, shape: str
) -> None:
    issuer = hostile.issuer(**{endpoint: shape})
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        async with serving(APIS[api](issuer)) as client:
            bearer = {"Authorization": f"Bearer {token_for(api, issuer)}"}
            response = await client.get("/api/private", headers=bearer)
    assert response.status_code == 503
    assert response.json()["error"] == "temporarily_unavailable"
    assert "www-authenticate" not in response.headers
    assert issuer.was_asked(endpoint).is_set()
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(logged) == 1 and ACTIONS[endpoint] in logged[0]
    assert "not well-formed HTTP/1.1" in logged[0]


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("endpoint", ["discovery", "token"])
def test_the_token_request_of_a_service_user_fails_as_an_issuer_error(
    hostile: HostileServer, endpoint: str, shape: str
) -> None:
    issuer = hostile.issuer(**{endpoint: shape})
    settings = ClientSettings(issuer.url, ClientSecret("user", "user-secret"), timeout=10.0)
    with httpx.Client(timeout=10.0) as http:
        grant = ClientCredentialsGrant(settings, http)
        with contextlib.suppress(IssuerError, GrantError):  # the command line's exit status 1
            grant.fetch(0.0)
    assert issuer.was_asked(endpoint).is_set()
