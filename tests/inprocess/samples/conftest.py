"""Both sample APIs in-process against the mock issuer, all through `httpx.ASGITransport`.

One mock issuer per module (provisioning makes RSA keys, which is slow); each test gets a fresh
API app with its lifespan run, so its introspection client is opened and closed per test.
Tests that change the issuer (faults, clock, revocations) undo it or use their own users.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mock_issuer import MockIssuer, Provisioned
from oauthkit import (
    ClientCredentialsGrant,
    ClientSecret,
    ClientSettings,
    EnvSource,
    JwtProfileGrant,
    ServiceAccountKey,
    audience_scope,
    parse_key_file,
)

from .sync_asgi import SyncASGITransport

ISSUER_URL = "http://issuer.test"
API_URL = "http://api.test"
APPS = ("api_jwt", "api_basic_auth")


@dataclass
class World:
    """The module's mock issuer, what it provisioned, its `.env`, and tokens per user."""

    issuer: MockIssuer
    provisioned: Provisioned
    env_file: Path
    tokens: dict[str, str]

    def new_user_token(
        self, username: str, scopes: tuple[str, ...] | None = None
    ) -> tuple[str, str]:
        """A new service user with the role and a secret: its id and a fresh token."""
        project = self.provisioned.project.id
        user = self.issuer.add_service_user(
            username, roles=["read:messages"], project_id=project, with_secret=True
        )
        secret = ClientSecret(user.username, user.client_secret or "")
        settings = ClientSettings(ISSUER_URL, secret, scopes or ("openid", audience_scope(project)))
        with httpx.Client(transport=SyncASGITransport(self.issuer.app)) as http:
            token = ClientCredentialsGrant(settings, http).fetch(self.issuer.clock.now())
        return user.user_id, token.access_token


@dataclass
class Api:
    """A sample API under test and an HTTP client that reaches it in-process."""

    name: str
    client: httpx.AsyncClient


def grant_tokens(issuer: MockIssuer, world: Provisioned) -> dict[str, str]:
    """Tokens from all three grants for the role holders and for the user without a role."""
    scopes = ("openid", "profile", audience_scope(world.project.id))
    secrets = {"cc": world.cc_user, "norole_cc": world.norole_user}
    keys = {"jwt": world.jwt_user, "norole_jwt": world.norole_user}
    tokens = {"pat": world.pat_user.pat or "", "norole_pat": world.norole_user.pat or ""}
    with httpx.Client(transport=SyncASGITransport(issuer.app)) as http:
        for name, user in secrets.items():
            secret = ClientSecret(user.username, user.client_secret or "")
            grant = ClientCredentialsGrant(ClientSettings(ISSUER_URL, secret, scopes), http)
            tokens[name] = grant.fetch(issuer.clock.now()).access_token
        for name, user in keys.items():
            key = parse_key_file(user.key_file, source=user.username)
            assert isinstance(key, ServiceAccountKey)
            grant_ = JwtProfileGrant(ClientSettings(ISSUER_URL, key, scopes), http)
            tokens[name] = grant_.fetch(issuer.clock.now()).access_token
    return tokens


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    issuer = MockIssuer(issuer=ISSUER_URL)
    provisioned = issuer.provision()
    env_file = provisioned.write_env(tmp_path_factory.mktemp("mock-env"))
    return World(issuer, provisioned, env_file, grant_tokens(issuer, provisioned))


@asynccontextmanager
async def open_api(
    name: str,
    world: World,
    environ: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Api]:
    """Build the named API from the world's `.env` (plus `environ`) and run its lifespan."""
    sample = importlib.import_module(f"{name}.app")
    settings = sample.load_settings(EnvSource.load(world.env_file, environ or {}, required=True))
    # raise_app_exceptions=False: a dropped connection (an exception inside the mock) reaches
    # the API as a 500 answer, as it would through a proxy.
    issuer_transport = transport or httpx.ASGITransport(
        world.issuer.app, raise_app_exceptions=False
    )
    app = sample.create_app(settings, transport=issuer_transport, clock=world.issuer.clock.now)
    async with app.router.lifespan_context(app):
        transport_in = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport_in, base_url=API_URL) as client:
            yield Api(name, client)


@pytest.fixture(params=sorted(APPS))
def api_name(request: pytest.FixtureRequest) -> str:
    """Each test runs for both sample APIs."""
    name: str = request.param
    return name


@pytest.fixture
async def api(api_name: str, world: World) -> AsyncIterator[Api]:
    async with open_api(api_name, world) as opened:
        yield opened


@pytest.fixture
def restore_issuer(world: World) -> Iterator[MockIssuer]:
    """The issuer, with faults, clock and token lifetime put back after the test."""
    issuer = world.issuer
    lifetime = issuer.access_token_lifetime
    try:
        yield issuer
    finally:
        issuer.faults.clear()
        issuer.access_token_lifetime = lifetime
