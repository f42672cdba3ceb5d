"""The jwt-bearer grant (RFC 7523 §2.1, §3; spec §2.1, §2.2)."""

from __future__ import annotations

from typing import Any

import pytest

from mock_issuer import MockIssuer, SettableClock

from .conftest import NOW
from .support import JWT_BEARER, aud_scope, client, jwt_grant, sign

pytestmark = pytest.mark.anyio


def _scope(issuer: MockIssuer) -> str:
    return "openid " + aud_scope(issuer.provision().project.id)


def _assertion(issuer: MockIssuer, **kwargs: Any) -> str:
    key_file = kwargs.pop("key_file", None) or issuer.provision().jwt_user.key_file
    kwargs.setdefault("audience", issuer.issuer)
    kwargs.setdefault("now", issuer.clock.now())
    return sign(key_file, **kwargs)


async def _grant(issuer: MockIssuer, assertion: str, scope: str | None = "openid") -> Any:
    async with client(issuer) as c:
        return await jwt_grant(c, assertion, scope)


async def test_a_valid_assertion_gets_zitadels_token_response(shared: MockIssuer) -> None:
    response = await _grant(shared, _assertion(shared), _scope(shared))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "id_token"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 43200
    assert response.headers["cache-control"] == "no-store"


async def test_without_openid_there_is_no_id_token(shared: MockIssuer) -> None:
    response = await _grant(shared, _assertion(shared), aud_scope(shared.provision().project.id))
    assert "id_token" not in response.json()


async def test_rfc7523_assertion_with_aud_as_array_containing_the_issuer_is_accepted(
    shared: MockIssuer,
) -> None:
    assertion = _assertion(shared, audience=["https://elsewhere", shared.issuer])
    assert (await _grant(shared, assertion)).status_code == 200


REJECTED = [
    pytest.param({"now": NOW - 120}, "expired", id="rfc7523_assertion_with_expired_exp"),
    pytest.param({"now": NOW + 30}, "in the future", id="rfc7523_assertion_with_future_iat"),
    pytest.param({"now": NOW - 3700, "lifetime": 7200}, "one hour", id="iat_older_than_one_hour"),
    pytest.param({"audience": "http://wrong.test"}, "'aud'", id="rfc7523_assertion_with_wrong_aud"),
    pytest.param({"audience": "http://issuer.test/"}, "'aud'", id="aud_with_trailing_slash"),
    pytest.param({"headers": {"kid": "999"}}, "no valid key", id="rfc7523_unknown_kid"),
    pytest.param({"subject": "123456"}, "no valid key", id="assertion_for_unknown_user"),
    pytest.param({"iss": "someone-else"}, "identical", id="rfc7523_iss_differs_from_sub"),
    pytest.param({"exp": None}, "'exp'", id="rfc7523_exp_missing"),
    pytest.param({"iat": None}, "'iat'", id="rfc7523_iat_missing"),
]


@pytest.mark.parametrize(("kwargs", "reason"), REJECTED)
async def test_rfc7523_bad_assertions_are_rejected_with_400_invalid_grant(
    shared: MockIssuer, kwargs: dict[str, Any], reason: str
) -> None:
    response = await _grant(shared, _assertion(shared, **kwargs))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert reason in response.json()["error_description"]


async def test_rfc7523_assertion_signed_by_another_users_key_is_rejected(
    shared: MockIssuer,
) -> None:
    world = shared.provision()
    # norole_user's key, but claiming to be jwt_user with jwt_user's kid: the signature fails.
    forged = sign(
        world.norole_user.key_file or {},
        audience=shared.issuer,
        now=NOW,
        subject=world.jwt_user.user_id,
        headers={"kid": (world.jwt_user.key_file or {})["keyId"]},
    )
    response = await _grant(shared, forged)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")
    assert "signature" in response.json()["error_description"]


async def test_rfc7523_assertion_with_an_expired_user_key_is_rejected() -> None:
    issuer = MockIssuer(clock=SettableClock(start=NOW))
    user = issuer.add_service_user("k", with_key=True, key_expires_at=NOW + 10)
    assert (await _grant(issuer, _assertion(issuer, key_file=user.key_file))).status_code == 200
    issuer.clock.advance(11)
    response = await _grant(issuer, _assertion(issuer, key_file=user.key_file))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


@pytest.mark.parametrize("assertion", ["garbage", "a.b.c", "e30.e30.", "x" * 5000])
async def test_garbage_assertions_get_invalid_grant_not_a_500(
    shared: MockIssuer, assertion: str
) -> None:
    response = await _grant(shared, assertion)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


async def test_assertion_missing_is_invalid_request(shared: MockIssuer) -> None:
    async with client(shared) as c:
        response = await c.post("/oauth/v2/token", data={"grant_type": JWT_BEARER, "scope": "x"})
    assert response.json() == {"error": "invalid_request", "error_description": "assertion missing"}


@pytest.mark.parametrize("scope", [None, "", "   "])
async def test_zitadel_requires_a_scope_for_the_jwt_bearer_grant(
    shared: MockIssuer, scope: str | None
) -> None:
    response = await _grant(shared, _assertion(shared), scope)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")
    assert "scope" in response.json()["error_description"]


async def test_a_deactivated_user_gets_no_token(fresh: MockIssuer) -> None:
    fresh.deactivate_user(fresh.provision().jwt_user.user_id)
    response = await _grant(fresh, _assertion(fresh))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


async def test_token_lifetime_is_settable(fresh: MockIssuer) -> None:
    fresh.access_token_lifetime = 5
    assert (await _grant(fresh, _assertion(fresh))).json()["expires_in"] == 5


async def test_missing_grant_type_is_invalid_request(shared: MockIssuer) -> None:
    async with client(shared) as c:
        response = await c.post("/oauth/v2/token", data={"scope": "openid"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_request",
        "error_description": "grant_type missing",
    }


@pytest.mark.parametrize("grant_type", ["password", "authorization_code", "x" * 500])
async def test_rfc6749_unknown_grant_type_is_unsupported_grant_type(
    shared: MockIssuer, grant_type: str
) -> None:
    async with client(shared) as c:
        response = await c.post("/oauth/v2/token", data={"grant_type": grant_type})
    assert (response.status_code, response.json()["error"]) == (400, "unsupported_grant_type")
    assert len(response.json()["error_description"]) < 100
