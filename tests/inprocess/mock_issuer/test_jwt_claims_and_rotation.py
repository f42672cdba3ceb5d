"""JWT access tokens carry ZITADEL's requested claims; keys rotate; JWKS requests are counted."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from mock_issuer import MockIssuer

from .support import aud_scope, client, introspect, user_token

pytestmark = pytest.mark.anyio
ROLES = "urn:zitadel:iam:org:project:roles"
PROJECTS_ROLES = "urn:zitadel:iam:org:projects:roles"
RESOURCE_OWNER = "urn:zitadel:iam:user:resourceowner"


async def _claims(
    issuer: MockIssuer, scope: str, *, roles: tuple[str, ...] = ("read:messages",)
) -> Any:
    world = issuer.provision()
    user = issuer.add_service_user(
        f"jwt-claims-{len(scope)}-{len(roles)}",
        access_token_type="jwt",
        with_key=True,
        roles=roles,
        project_id=world.project.id if roles else None,
    )
    async with client(issuer) as c:
        token = await user_token(c, issuer, user, scope)
    return jwt.decode(token, options={"verify_signature": False})


async def test_roles_are_in_the_token_when_projects_roles_is_requested(fresh: MockIssuer) -> None:
    world = fresh.provision()
    claims = await _claims(fresh, f"openid {aud_scope(world.project.id)} {PROJECTS_ROLES}")
    value = {"read:messages": {world.org.id: world.org.primary_domain}}
    assert claims[ROLES] == value
    assert claims[f"urn:zitadel:iam:org:project:{world.project.id}:roles"] == value


async def test_roles_are_in_the_token_when_a_role_scope_asks_for_one(fresh: MockIssuer) -> None:
    world = fresh.provision()
    role_scope = "urn:zitadel:iam:org:project:role:read:messages"
    claims = await _claims(fresh, f"openid {aud_scope(world.project.id)} {role_scope}")
    assert set(claims[ROLES]) == {"read:messages"}


async def test_no_roles_in_the_token_unless_asked_for(fresh: MockIssuer) -> None:
    claims = await _claims(fresh, f"openid profile {aud_scope(fresh.provision().project.id)}")
    assert not [name for name in claims if name.startswith("urn:zitadel:iam:org:project")]


async def test_a_user_without_roles_gets_no_role_claims(fresh: MockIssuer) -> None:
    scope = f"openid {aud_scope(fresh.provision().project.id)} {PROJECTS_ROLES}"
    assert ROLES not in await _claims(fresh, scope, roles=())


async def test_profile_claims_never_go_into_an_access_token(fresh: MockIssuer) -> None:
    claims = await _claims(fresh, f"openid profile email {aud_scope(fresh.provision().project.id)}")
    assert not {"name", "preferred_username", "username", "updated_at"} & set(claims)


async def test_resource_owner_claims_come_with_their_scope(fresh: MockIssuer) -> None:
    world = fresh.provision()
    claims = await _claims(fresh, f"openid {aud_scope(world.project.id)} {RESOURCE_OWNER}")
    assert claims["urn:zitadel:iam:user:resourceowner:id"] == world.org.id
    assert claims["urn:zitadel:iam:user:resourceowner:primary_domain"] == world.org.primary_domain


async def test_jwks_requests_are_counted(fresh: MockIssuer) -> None:
    async with client(fresh) as c:
        await c.get("/oauth/v2/keys")
        await c.get("/oauth/v2/keys")
    assert fresh.jwks_calls == 2


async def _jwt_user_token(issuer: MockIssuer) -> str:
    world = issuer.provision()
    user = issuer.add_service_user(
        f"rotating-{issuer.signing_kid}",
        access_token_type="jwt",
        with_secret=True,
        roles=["read:messages"],
        project_id=world.project.id,
    )
    async with client(issuer) as c:
        return await user_token(c, issuer, user, f"openid {aud_scope(world.project.id)}")


async def _published_kids(issuer: MockIssuer) -> list[str]:
    async with client(issuer) as c:
        return [key["kid"] for key in (await c.get("/oauth/v2/keys")).json()["keys"]]


async def test_after_a_rotation_new_tokens_carry_the_new_kid_and_both_keys_are_published(
    fresh: MockIssuer,
) -> None:
    before = await _jwt_user_token(fresh)
    old_kid = fresh.signing_kid
    new_kid = fresh.rotate_signing_key(keep_old_for=60)
    after = await _jwt_user_token(fresh)
    assert jwt.get_unverified_header(before)["kid"] == old_kid
    assert jwt.get_unverified_header(after)["kid"] == new_kid
    assert await _published_kids(fresh) == [new_kid, old_kid]
    fresh.clock.advance(60)
    assert await _published_kids(fresh) == [new_kid]


async def test_a_token_signed_before_the_rotation_still_introspects_as_active(
    fresh: MockIssuer,
) -> None:
    token = await _jwt_user_token(fresh)
    fresh.rotate_signing_key(keep_old_for=0)
    async with client(fresh) as c:
        body = (await introspect(c, fresh, fresh.provision().api_basic_app, token)).json()
    assert body["active"] is True


async def test_a_key_published_late_is_missing_from_the_jwks_until_then(fresh: MockIssuer) -> None:
    old_kid = fresh.signing_kid
    new_kid = fresh.rotate_signing_key(publish_after=30)
    assert await _published_kids(fresh) == [old_kid]
    fresh.clock.advance(30)
    assert await _published_kids(fresh) == [new_kid, old_kid]


async def test_an_ec_web_key_is_published_and_signs_nothing(fresh: MockIssuer) -> None:
    kid = fresh.add_web_key("ES256")
    token = await _jwt_user_token(fresh)
    assert jwt.get_unverified_header(token)["kid"] == fresh.signing_kid != kid
    async with client(fresh) as c:
        keys = (await c.get("/oauth/v2/keys")).json()["keys"]
    ec_key = next(key for key in keys if key["kid"] == kid)
    assert (ec_key["kty"], ec_key["crv"], ec_key["alg"], ec_key["use"]) == (
        "EC", "P-256", "ES256", "sig"
    )  # fmt: skip
    assert "d" not in ec_key  # the public half only
    # Its private key signs what a test asks it to, and the JWK verifies that.
    private = fresh.instance.keys.by_kid(kid)
    assert private is not None
    signed = jwt.encode({"x": 1}, private.private_key, algorithm="ES256")
    assert jwt.decode(signed, jwt.PyJWK(ec_key).key, algorithms=["ES256"]) == {"x": 1}


async def test_access_tokens_say_typ_jwt_as_zitadel_or_at_jwt_when_asked(
    fresh: MockIssuer,
) -> None:
    assert jwt.get_unverified_header(await _jwt_user_token(fresh))["typ"] == "JWT"
    fresh.access_token_typ = "at+jwt"
    fresh.rotate_signing_key()  # a new kid, so a new user name
    assert jwt.get_unverified_header(await _jwt_user_token(fresh))["typ"] == "at+jwt"
