"""Every answer of the two sample APIs, in-process against the mock issuer (RFC 6750 §3)."""

from __future__ import annotations

import httpx
import pytest

from mock_issuer import MockIssuer
from oauthkit import audience_scope

from .conftest import Api, World, open_api

pytestmark = pytest.mark.anyio

METADATA = "http://api.test/.well-known/oauth-protected-resource"  # RFC 9728 §3.1


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_refusal(response: httpx.Response, status: int, error: str, realm: str) -> None:
    """A JSON RFC 6750 refusal with its challenge."""
    assert response.status_code == status, response.text
    assert response.json()["error"] == error
    assert response.json()["error_description"]
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith(f'Bearer realm="{realm}", error="{error}"')


async def test_public_and_healthz_answer_without_a_token(api: Api) -> None:
    assert (await api.client.get("/api/public")).status_code == 200
    assert (await api.client.get("/api/healthz")).json() == {"status": "ok"}


@pytest.mark.parametrize("grant", ["jwt", "cc", "pat"])
async def test_role_holders_token_from_each_grant_reaches_both_private_routes(
    api: Api, world: World, grant: str
) -> None:
    for route in ("/api/private", "/api/private-scoped"):
        response = await api.client.get(route, headers=bearer(world.tokens[grant]))
        assert response.status_code == 200, response.text


async def test_rfc6750_3_1_no_authorization_gets_401_with_a_bare_challenge(api: Api) -> None:
    response = await api.client.get("/api/private")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == (
        f'Bearer realm="{api.name}", resource_metadata="{METADATA}/api/private"'
    )
    assert "error" not in response.json()


async def test_rfc6750_3_1_another_scheme_gets_401_with_the_bearer_challenge(api: Api) -> None:
    headers = {"Authorization": "Basic dXNlcjpwYXNz"}
    response = await api.client.get("/api/private", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == (
        f'Bearer realm="{api.name}", resource_metadata="{METADATA}/api/private"'
    )


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "BeArEr"])
async def test_rfc6750_2_1_scheme_is_matched_case_insensitively(
    api: Api, world: World, scheme: str
) -> None:
    headers = {"Authorization": f"{scheme} {world.tokens['cc']}"}
    assert (await api.client.get("/api/private", headers=headers)).status_code == 200


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer ", "Bearer a b", "Bearer a,b", 'Bearer a"b', "Bearer =a"]
)
async def test_rfc6750_2_1_malformed_header_gets_400_invalid_request(api: Api, header: str) -> None:
    response = await api.client.get("/api/private", headers={"Authorization": header})
    assert_refusal(response, 400, "invalid_request", api.name)


async def test_rfc6750_3_1_unknown_token_gets_401_invalid_token(api: Api) -> None:
    response = await api.client.get("/api/private", headers=bearer("never-issued-token"))
    assert_refusal(response, 401, "invalid_token", api.name)


async def test_rfc7662_2_2_inactive_token_gets_401_not_a_crash(api: Api, world: World) -> None:
    user_id, token = world.new_user_token(f"deactivated-{api.name}")
    assert (await api.client.get("/api/private", headers=bearer(token))).status_code == 200
    world.issuer.deactivate_user(user_id)
    response = await api.client.get("/api/private", headers=bearer(token))
    assert_refusal(response, 401, "invalid_token", api.name)


async def test_rfc7009_revoked_token_gets_401_invalid_token(api: Api, world: World) -> None:
    _, token = world.new_user_token(f"revoked-{api.name}")
    assert (await api.client.get("/api/private", headers=bearer(token))).status_code == 200
    assert world.issuer.revoke_token(token)
    response = await api.client.get("/api/private", headers=bearer(token))
    assert_refusal(response, 401, "invalid_token", api.name)


async def test_rfc7519_4_1_4_expired_token_gets_401_invalid_token(
    api: Api, world: World, restore_issuer: MockIssuer
) -> None:
    restore_issuer.access_token_lifetime = 60
    _, token = world.new_user_token(f"expiring-{api.name}")
    assert (await api.client.get("/api/private", headers=bearer(token))).status_code == 200
    restore_issuer.clock.advance(120)
    try:
        response = await api.client.get("/api/private", headers=bearer(token))
    finally:
        restore_issuer.clock.advance(-120)
    assert_refusal(response, 401, "invalid_token", api.name)


async def test_token_for_another_projects_audience_gets_401_invalid_token(
    api: Api, world: World
) -> None:
    other = audience_scope(world.provisioned.other_project.id)
    _, token = world.new_user_token(f"other-aud-{api.name}", scopes=("openid", other))
    response = await api.client.get("/api/private", headers=bearer(token))
    assert_refusal(response, 401, "invalid_token", api.name)


async def test_rfc7519_4_1_3_api_checks_the_audience_itself(api: Api, world: World) -> None:
    # The mock calls the token active; only the API's own check can refuse it.
    async with open_api(api.name, world, {"API_AUDIENCE": "some-other-api"}) as strict:
        response = await strict.client.get("/api/private", headers=bearer(world.tokens["cc"]))
    assert_refusal(response, 401, "invalid_token", api.name)
    assert "not issued for this API" in response.json()["error_description"]


@pytest.mark.parametrize("grant", ["norole_jwt", "norole_cc", "norole_pat"])
async def test_rfc6750_3_1_valid_token_without_the_role_gets_403_naming_the_scope(
    api: Api, world: World, grant: str
) -> None:
    token = world.tokens[grant]
    assert (await api.client.get("/api/private", headers=bearer(token))).status_code == 200
    response = await api.client.get("/api/private-scoped", headers=bearer(token))
    assert_refusal(response, 403, "insufficient_scope", api.name)
    assert response.headers["WWW-Authenticate"].endswith(
        f'scope="read:messages", resource_metadata="{METADATA}/api/private-scoped"'
    )
