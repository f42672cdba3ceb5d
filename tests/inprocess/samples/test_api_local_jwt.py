"""api_local_jwt in-process against a JWT-issuing mock issuer: RFC 6750 answers, RFC 9068 rules,
the JWKS cache (rotation, flood, issuer down) and the revocation trade-off."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest

from api_local_jwt.app import create_app, load_settings
from mock_issuer import FaultKind, MockIssuer, Provisioned, SettableClock
from oauthkit import (
    ClientCredentialsGrant,
    ClientSecret,
    ClientSettings,
    EnvSource,
    load_client_credentials_settings,
)

from .sync_asgi import SyncASGITransport

pytestmark = pytest.mark.anyio
ISSUER_URL = "http://issuer.test"
NOW = 1_800_000_000.0
COOLDOWN = 5.0


@dataclass
class Setup:
    issuer: MockIssuer
    world: Provisioned
    settings: ClientSettings[ClientSecret]
    client: httpx.AsyncClient

    def token(self, user: Any = None) -> str:
        """An access token of the cc user (or ``user``), by the client credentials grant."""
        settings = self.settings
        if user is not None:
            secret = ClientSecret(user.username, user.client_secret)
            settings = ClientSettings(ISSUER_URL, secret, settings.scopes)
        with httpx.Client(transport=SyncASGITransport(self.issuer.app)) as http:
            return (
                ClientCredentialsGrant(settings, http).fetch(self.issuer.clock.now()).access_token
            )

    def id_token(self) -> str:
        """An ID token of the cc user (the token response's ``id_token``, scope openid)."""
        secret = self.settings.credentials
        form = {"grant_type": "client_credentials", "scope": " ".join(self.settings.scopes)}
        with httpx.Client(transport=SyncASGITransport(self.issuer.app)) as http:
            answer = http.post(
                f"{ISSUER_URL}/oauth/v2/token",
                data=form,
                auth=(secret.client_id, secret.client_secret),
            )
        id_token: str = answer.json()["id_token"]
        return id_token

    async def get(self, token: str, route: str = "/api/private") -> httpx.Response:
        return await self.client.get(route, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
async def setup(tmp_path: Any) -> AsyncIterator[Setup]:
    issuer = MockIssuer(issuer=ISSUER_URL, clock=SettableClock(start=NOW))
    world = issuer.provision(access_token_type="jwt")
    env = EnvSource.load(
        world.write_env(tmp_path), {"JWKS_REFRESH_COOLDOWN": str(COOLDOWN)}, required=True
    )
    app = create_app(
        load_settings(env), transport=httpx.ASGITransport(issuer.app), clock=issuer.clock.now
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield Setup(issuer, world, load_client_credentials_settings(env), client)


async def test_a_role_holders_jwt_reaches_both_private_routes(setup: Setup) -> None:
    token = setup.token()
    for route in ("/api/private", "/api/private-scoped"):
        assert (await setup.get(token, route)).status_code == 200


async def test_a_jwt_without_the_role_gets_403_on_the_scoped_route(setup: Setup) -> None:
    token = setup.token(setup.world.norole_user)
    assert (await setup.get(token)).status_code == 200
    response = await setup.get(token, "/api/private-scoped")
    assert response.status_code == 403 and response.json()["error"] == "insufficient_scope"


async def test_no_credentials_get_the_bare_challenge(setup: Setup) -> None:
    response = await setup.client.get("/api/private")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == (
        'Bearer realm="api_local_jwt", resource_metadata='
        '"http://api.test/.well-known/oauth-protected-resource/api/private"'
    )


async def test_a_pat_is_refused_saying_only_jwt_access_tokens_are_accepted(setup: Setup) -> None:
    response = await setup.get(setup.world.pat_user.pat or "")
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"
    assert "accepts only JWT access tokens" in response.json()["error_description"]
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


async def test_an_id_token_is_not_an_access_token(setup: Setup) -> None:
    response = await setup.get(setup.id_token())
    assert response.status_code == 401 and "ID token" in response.json()["error_description"]


async def test_an_expired_token_is_refused_by_the_injected_clock(setup: Setup) -> None:
    token = setup.token()
    setup.issuer.clock.advance(setup.issuer.access_token_lifetime + 31)
    assert (await setup.get(token)).status_code == 401


async def test_an_unsigned_token_is_refused(setup: Setup) -> None:
    token = setup.token()
    _, payload, _ = token.split(".")
    none = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    response = await setup.get(f"{none.decode().rstrip('=')}.{payload}.")
    assert response.status_code == 401


async def test_a_revoked_jwt_stays_accepted_until_it_expires(setup: Setup) -> None:
    token = setup.token()
    setup.issuer.revoke_token(token)
    assert (await setup.get(token)).status_code == 200


async def test_a_rotated_key_is_accepted_without_a_restart(setup: Setup) -> None:
    assert (await setup.get(setup.token())).status_code == 200
    setup.issuer.rotate_signing_key()
    setup.issuer.clock.advance(COOLDOWN)
    assert (await setup.get(setup.token())).status_code == 200


async def test_a_flood_of_unknown_kids_fetches_the_jwks_at_most_once(setup: Setup) -> None:
    token = setup.token()
    assert (await setup.get(token)).status_code == 200
    claims = jwt.decode(token, options={"verify_signature": False})
    before = setup.issuer.jwks_calls
    key = setup.issuer.instance.signing_key().private_key
    for n in range(30):
        forged = jwt.encode(claims, key, algorithm="RS256", headers={"kid": f"random-{n}"})
        assert (await setup.get(forged)).status_code == 401
    assert setup.issuer.jwks_calls - before <= 1


async def test_with_the_jwks_down_cached_keys_work_and_an_unknown_key_is_503(
    setup: Setup,
) -> None:
    token = setup.token()
    assert (await setup.get(token)).status_code == 200
    setup.issuer.rotate_signing_key()
    rotated = setup.token()
    setup.issuer.clock.advance(COOLDOWN)
    with setup.issuer.fault(FaultKind.SERVER_ERROR, endpoint="keys"):
        assert (await setup.get(token)).status_code == 200
        response = await setup.get(rotated)
    assert response.status_code == 503
    assert response.json()["error"] == "temporarily_unavailable"


async def test_the_project_audience_is_required(setup: Setup) -> None:
    other = setup.world.other_project.id
    settings = ClientSettings(
        ISSUER_URL,
        setup.settings.credentials,
        ("openid", f"urn:zitadel:iam:org:project:id:{other}:aud"),
    )
    with httpx.Client(transport=SyncASGITransport(setup.issuer.app)) as http:
        token = ClientCredentialsGrant(settings, http).fetch(setup.issuer.clock.now())
    response = await setup.get(token.access_token)
    assert response.status_code == 401
    assert "not issued for this API" in response.json()["error_description"]
