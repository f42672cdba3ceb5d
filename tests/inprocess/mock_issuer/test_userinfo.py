"""The userinfo endpoint its discovery lists (OpenID Connect Core 1.0 §5.3; spec §3.5)."""

from __future__ import annotations

import httpx
import pytest

from mock_issuer import MockIssuer

from .support import aud_scope, client, user_token

pytestmark = pytest.mark.anyio
USERINFO = "/oidc/v1/userinfo"
ROLES = "urn:zitadel:iam:org:project:roles"
RESOURCE_OWNER = "urn:zitadel:iam:user:resourceowner"


async def _userinfo(issuer: MockIssuer, token: str, **kwargs: object) -> httpx.Response:
    async with client(issuer) as c:
        headers = {"Authorization": f"Bearer {token}"}
        return await c.get(USERINFO, headers=headers, **kwargs)  # type: ignore[arg-type]


async def _token(issuer: MockIssuer, scope: str, user: str = "cc_user") -> str:
    world = issuer.provision()
    async with client(issuer) as c:
        return await user_token(c, issuer, getattr(world, user), scope)


async def test_openid_alone_answers_the_subject_only(shared: MockIssuer) -> None:
    token = await _token(shared, "openid")
    response = await _userinfo(shared, token)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"sub": shared.provision().cc_user.user_id}


async def test_profile_adds_a_machine_users_name_username_and_update_time(
    shared: MockIssuer,
) -> None:
    world = shared.provision()
    token = await _token(shared, f"openid profile email phone {aud_scope(world.project.id)}")
    claims = (await _userinfo(shared, token)).json()
    user = world.cc_user
    assert set(claims) == {"sub", "name", "preferred_username", "updated_at"}
    assert (claims["sub"], claims["preferred_username"]) == (user.user_id, user.username)
    assert isinstance(claims["updated_at"], int)


async def test_roles_are_answered_when_asked_for_as_held_now(fresh: MockIssuer) -> None:
    world = fresh.provision()
    project = world.project.id
    scope = f"openid urn:zitadel:iam:org:projects:roles {aud_scope(project)}"
    token = await _token(fresh, scope)
    roles = (await _userinfo(fresh, token)).json()[f"urn:zitadel:iam:org:project:{project}:roles"]
    assert roles == {"read:messages": {world.org.id: world.org.primary_domain}}
    fresh.revoke_role(world.cc_user.user_id, project, "read:messages")
    assert ROLES not in (await _userinfo(fresh, token)).json()


async def test_roles_are_left_out_unless_a_role_scope_asks_for_them(shared: MockIssuer) -> None:
    token = await _token(shared, f"openid {aud_scope(shared.provision().project.id)}")
    assert ROLES not in (await _userinfo(shared, token)).json()


async def test_a_pat_answers_its_subject_and_resource_owner(shared: MockIssuer) -> None:
    world = shared.provision()
    claims = (await _userinfo(shared, world.pat_user.pat or "")).json()
    assert claims["sub"] == world.pat_user.user_id
    assert claims[f"{RESOURCE_OWNER}:id"] == world.org.id
    assert claims[f"{RESOURCE_OWNER}:primary_domain"] == world.org.primary_domain


async def test_a_jwt_access_token_is_answered_too(fresh: MockIssuer) -> None:
    user = fresh.add_service_user("jwt-user-info", access_token_type="jwt", with_secret=True)
    async with client(fresh) as c:
        token = await user_token(c, fresh, user, "openid")
    assert token.count(".") == 2
    assert (await _userinfo(fresh, token)).json() == {"sub": user.user_id}


async def test_the_token_may_come_as_a_form_or_query_parameter(shared: MockIssuer) -> None:
    token = await _token(shared, "openid")
    async with client(shared) as c:
        posted = await c.post(USERINFO, data={"access_token": token})
        queried = await c.get(USERINFO, params={"access_token": token})
    assert posted.status_code == queried.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-header"),
        pytest.param({"Authorization": "Bearer "}, id="empty-bearer"),
        pytest.param({"Authorization": "bearer abc"}, id="lower-case-scheme-is-not-read"),
        pytest.param({"Authorization": "Basic YTpi"}, id="basic"),
    ],
)
async def test_no_token_is_401_invalid_request_with_a_bare_bearer_challenge(
    shared: MockIssuer, headers: dict[str, str]
) -> None:
    async with client(shared) as c:
        response = await c.get(USERINFO, headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_request",
        "error_description": "access token missing",
    }
    assert response.headers["www-authenticate"] == "Bearer"


def _assert_denied(response: httpx.Response, description: str) -> None:
    assert response.status_code == 401
    assert response.json() == {"error": "access_denied", "error_description": description}
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="invalid_token"'), challenge


async def test_an_unknown_token_is_401_access_denied_with_an_invalid_token_challenge(
    shared: MockIssuer,
) -> None:
    _assert_denied(await _userinfo(shared, "not-a-token"), "access token invalid")


async def test_an_expired_or_revoked_token_is_401(fresh: MockIssuer) -> None:
    expiring, revoked = await _token(fresh, "openid"), await _token(fresh, "openid")
    fresh.revoke_token(revoked)
    _assert_denied(await _userinfo(fresh, revoked), "access token invalid")
    fresh.clock.advance(fresh.access_token_lifetime)
    _assert_denied(await _userinfo(fresh, expiring), "access token invalid")


async def test_a_deactivated_users_token_is_401_no_active_user(fresh: MockIssuer) -> None:
    token = await _token(fresh, "openid")
    fresh.deactivate_user(fresh.provision().cc_user.user_id)
    _assert_denied(await _userinfo(fresh, token), "no active user")
