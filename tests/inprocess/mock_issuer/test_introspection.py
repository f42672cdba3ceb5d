"""Introspection: client authentication and the active response (RFC 7662 §2; spec §3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mock_issuer import MockIssuer

from .conftest import NOW
from .support import ASSERTION_TYPE, aud_scope, client, introspect, sign, user_token

pytestmark = pytest.mark.anyio
ROLES = "urn:zitadel:iam:org:project:roles"


async def _token(issuer: MockIssuer, user: str = "jwt_user", scope: str = "") -> str:
    world = issuer.provision()
    scope = scope or f"openid profile {aud_scope(world.project.id)}"
    async with client(issuer) as c:
        return await user_token(c, issuer, getattr(world, user), scope)


async def _introspect(issuer: MockIssuer, token: str, app: str = "api_basic_app") -> Any:
    async with client(issuer) as c:
        response = await introspect(c, issuer, getattr(issuer.provision(), app), token)
    assert response.status_code == 200, response.text
    return response.json()


async def _post(issuer: MockIssuer, data: dict[str, str], **kwargs: Any) -> httpx.Response:
    async with client(issuer) as c:
        return await c.post("/oauth/v2/introspect", data=data, **kwargs)


@pytest.mark.parametrize("app", ["api_basic_app", "api_jwt_app"])
async def test_active_response_has_every_member_zitadel_returns(
    shared: MockIssuer, app: str
) -> None:
    world = shared.provision()
    body = await _introspect(shared, await _token(shared), app)
    assert body["active"] is True
    assert body["scope"] == f"openid profile {aud_scope(world.project.id)}"
    assert body["client_id"] == "jwt-user"
    assert body["token_type"] == "Bearer"
    assert body["iat"] == body["nbf"] == NOW and body["exp"] == NOW + 43200
    assert body["sub"] == world.jwt_user.user_id
    assert body["aud"] == [world.project.id]
    assert body["iss"] == "http://issuer.test"
    assert body["jti"].startswith("V2_")
    assert body["username"] == "jwt-user"
    assert body[ROLES] == {"read:messages": {world.org.id: world.org.primary_domain}}
    assert body[f"urn:zitadel:iam:org:project:{world.project.id}:roles"] == body[ROLES]


async def test_username_needs_the_profile_scope(shared: MockIssuer) -> None:
    token = await _token(shared, scope=aud_scope(shared.provision().project.id))
    assert "username" not in await _introspect(shared, token)


async def test_a_user_without_the_role_has_no_role_claims(shared: MockIssuer) -> None:
    body = await _introspect(shared, await _token(shared, "norole_user"))
    assert body["active"] is True and ROLES not in body


async def test_resource_owner_claims_when_requested(shared: MockIssuer) -> None:
    scope = f"urn:zitadel:iam:user:resourceowner {aud_scope(shared.provision().project.id)}"
    body = await _introspect(shared, await _token(shared, scope=scope))
    assert body["urn:zitadel:iam:user:resourceowner:id"] == shared.org.id


async def test_rfc7662_token_of_another_projects_audience_is_inactive(shared: MockIssuer) -> None:
    assert await _introspect(shared, await _token(shared), "other_api_app") == {"active": False}


async def test_role_changes_show_at_the_next_introspection(fresh: MockIssuer) -> None:
    world = fresh.provision()
    token = await _token(fresh, "norole_user")
    fresh.grant_role(world.norole_user.user_id, world.project.id, "read:messages")
    assert ROLES in await _introspect(fresh, token)
    fresh.revoke_role(world.norole_user.user_id, world.project.id, "read:messages")
    assert ROLES not in await _introspect(fresh, token)


async def test_role_scopes_narrow_the_roles_returned(fresh: MockIssuer) -> None:
    project = fresh.add_project("two roles", roles=("read", "write"))
    app = fresh.add_api_app(project.id, "client_secret_basic")
    user = fresh.add_service_user(
        "both", roles=("read", "write"), project_id=project.id, with_secret=True
    )
    scope = f"{aud_scope(project.id)} urn:zitadel:iam:org:project:role:write"
    async with client(fresh) as c:
        body = (await introspect(c, fresh, app, await user_token(c, fresh, user, scope))).json()
    assert list(body[ROLES]) == ["write"]


async def test_rfc7662_expired_token_is_inactive(fresh: MockIssuer) -> None:
    token = await _token(fresh)
    fresh.clock.advance(43200)
    assert await _introspect(fresh, token) == {"active": False}


async def test_rfc7662_revoked_token_is_inactive(fresh: MockIssuer) -> None:
    token = await _token(fresh)
    assert fresh.revoke_token(token) is True
    assert await _introspect(fresh, token) == {"active": False}


async def test_tokens_of_a_deactivated_user_are_inactive(fresh: MockIssuer) -> None:
    token = await _token(fresh)
    fresh.deactivate_user(fresh.provision().jwt_user.user_id)
    assert await _introspect(fresh, token) == {"active": False}
    fresh.reactivate_user(fresh.provision().jwt_user.user_id)
    assert (await _introspect(fresh, token))["active"] is True


@pytest.mark.parametrize("token", ["unknown", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "x" * 4000])
async def test_rfc7662_unknown_or_garbage_tokens_are_inactive(
    shared: MockIssuer, token: str
) -> None:
    assert await _introspect(shared, token) == {"active": False}


async def test_rfc7662_introspection_without_client_authentication_is_rejected(
    shared: MockIssuer,
) -> None:
    token = await _token(shared)
    response = await _post(shared, {"token": token}, headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_client")
    assert "client must be authenticated" in response.json()["error_description"]


async def test_missing_token_is_invalid_request(shared: MockIssuer) -> None:
    app = shared.provision().api_basic_app
    response = await _post(shared, {}, auth=(app.client_id, app.client_secret))
    assert response.json() == {"error": "invalid_request", "error_description": "token missing"}


@pytest.mark.parametrize(
    "auth",
    [
        pytest.param("wrong-secret", id="wrong_secret"),
        pytest.param("unknown-client", id="unknown_client_id"),
        pytest.param("key-app-with-secret", id="app_without_a_secret"),
    ],
)
async def test_bad_client_secret_basic_is_400_unauthorized_client(
    shared: MockIssuer, auth: str
) -> None:
    world = shared.provision()
    credentials = {
        "wrong-secret": (world.api_basic_app.client_id, "wrong"),
        "unknown-client": ("999", world.api_basic_app.client_secret or ""),
        "key-app-with-secret": (world.api_jwt_app.client_id, "anything"),
    }[auth]
    response = await _post(shared, {"token": await _token(shared)}, auth=credentials)
    assert (response.status_code, response.json()["error"]) == (400, "unauthorized_client")


async def test_client_error_wins_over_token_error(shared: MockIssuer) -> None:
    response = await _post(
        shared, {"token": "garbage"}, auth=(shared.provision().api_basic_app.client_id, "no")
    )
    assert response.json()["error"] == "unauthorized_client"


def _assertion_form(issuer: MockIssuer, token: str, **kwargs: Any) -> dict[str, str]:
    key_file = kwargs.pop("key_file", None) or issuer.provision().api_jwt_app.key_file
    kwargs.setdefault("audience", issuer.issuer)
    kwargs.setdefault("now", issuer.clock.now())
    assertion = sign(key_file, **kwargs)
    return {"token": token, "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"audience": "http://wrong.test"}, id="rfc7523_wrong_aud"),
        pytest.param({"now": NOW - 600}, id="rfc7523_expired_exp"),
        pytest.param({"now": NOW + 60}, id="rfc7523_future_iat"),
        pytest.param({"headers": {"kid": "0"}}, id="rfc7523_unknown_kid"),
    ],
)
async def test_bad_private_key_jwt_is_400_unauthorized_client(
    shared: MockIssuer, kwargs: dict[str, Any]
) -> None:
    response = await _post(shared, _assertion_form(shared, await _token(shared), **kwargs))
    assert (response.status_code, response.json()["error"]) == (400, "unauthorized_client")


async def test_private_key_jwt_signed_by_an_app_without_keys_is_unauthorized(
    shared: MockIssuer,
) -> None:
    world = shared.provision()
    key_file = {**(world.api_jwt_app.key_file or {}), "clientId": world.api_basic_app.client_id}
    response = await _post(shared, _assertion_form(shared, "t", key_file=key_file))
    assert response.json()["error"] == "unauthorized_client"


async def test_only_unexpired_app_keys_authenticate(fresh: MockIssuer) -> None:
    app = fresh.add_api_app(fresh.provision().project.id, key_expires_at=NOW + 5)
    token = await _token(fresh)
    assert (await _post(fresh, _assertion_form(fresh, token, key_file=app.key_file))).json()[
        "active"
    ]
    fresh.clock.advance(6)
    response = await _post(fresh, _assertion_form(fresh, token, key_file=app.key_file))
    assert response.json()["error"] == "unauthorized_client"


async def test_an_unparsable_client_assertion_answers_inactive_as_zitadel(
    shared: MockIssuer,
) -> None:
    data = {"token": "t", "client_assertion_type": ASSERTION_TYPE, "client_assertion": "junk"}
    response = await _post(shared, data)
    assert (response.status_code, response.json()) == (200, {"active": False})


async def test_wrong_client_assertion_type_is_invalid_request(shared: MockIssuer) -> None:
    data = _assertion_form(shared, "t") | {"client_assertion_type": "urn:x"}
    assert (await _post(shared, data)).json()["error"] == "invalid_request"


async def test_introspection_answers_are_not_cached(shared: MockIssuer) -> None:
    app = shared.provision().api_basic_app
    response = await _post(shared, {"token": "x"}, auth=(app.client_id, app.client_secret))
    assert response.headers["cache-control"] == "no-store"


async def test_form_posted_client_secret_works_as_in_zitadel(shared: MockIssuer) -> None:
    app = shared.provision().api_basic_app
    form = {"token": "t", "client_id": app.client_id, "client_secret": app.client_secret or ""}
    assert (await _post(shared, form)).json() == {"active": False}
