"""PATs (spec §6) and JWT access tokens (spec §2.4, RFC 9068-like claims)."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from mock_issuer import MockIssuer

from .conftest import NOW
from .support import aud_scope, client, introspect, user_token

pytestmark = pytest.mark.anyio
ROLES = "urn:zitadel:iam:org:project:roles"


async def _introspect(issuer: MockIssuer, token: str, app: str = "api_basic_app") -> Any:
    async with client(issuer) as c:
        return (await introspect(c, issuer, getattr(issuer.provision(), app), token)).json()


@pytest.mark.parametrize("app", ["api_basic_app", "api_jwt_app"])
async def test_pat_introspects_with_the_apps_ids_in_aud_and_role_scopes(
    shared: MockIssuer, app: str
) -> None:
    world = shared.provision()
    body = await _introspect(shared, world.pat_user.pat or "", app)
    client_id = getattr(world, app).client_id
    assert body["active"] is True
    assert body["aud"] == [client_id, world.project.id]
    assert "urn:zitadel:iam:org:project:role:read:messages" in body["scope"].split()
    assert "client_id" not in body
    assert body["exp"] == 253402300799
    assert body["iat"] == body["nbf"]
    assert body["urn:zitadel:iam:user:resourceowner:id"] == world.org.id
    assert ROLES in body


async def test_pat_passes_the_audience_of_another_project_but_without_roles(
    shared: MockIssuer,
) -> None:
    world = shared.provision()
    body = await _introspect(shared, world.pat_user.pat or "", "other_api_app")
    assert body["active"] is True
    assert body["aud"] == [world.other_api_app.client_id, world.other_project.id]
    assert ROLES not in body


async def test_pat_of_a_user_without_role_has_no_role_claims(shared: MockIssuer) -> None:
    body = await _introspect(shared, shared.provision().norole_user.pat or "")
    assert body["active"] is True and ROLES not in body


async def test_pat_expires_at_its_expiry_date(fresh: MockIssuer) -> None:
    pat = fresh.issue_pat(fresh.provision().pat_user.user_id, expires_at=NOW + 60)
    assert (await _introspect(fresh, pat))["exp"] == NOW + 60
    fresh.clock.advance(60)
    assert await _introspect(fresh, pat) == {"active": False}


async def test_revoked_pat_is_inactive(fresh: MockIssuer) -> None:
    pat = fresh.provision().pat_user.pat or ""
    fresh.revoke_token(pat)
    assert await _introspect(fresh, pat) == {"active": False}


async def _jwt_token(issuer: MockIssuer, scope: str) -> tuple[str, Any]:
    world = issuer.provision()
    user = issuer.add_service_user(
        "jwt-type",
        access_token_type="jwt",
        with_secret=True,
        roles=["read:messages"],
        project_id=world.project.id,
    )
    async with client(issuer) as c:
        token = await user_token(c, issuer, user, scope)
        jwks = (await c.get("/oauth/v2/keys")).json()
    return token, jwks


async def test_jwt_access_tokens_carry_zitadels_claims_and_verify_with_the_jwks(
    fresh: MockIssuer,
) -> None:
    project_id = fresh.provision().project.id
    token, jwks = await _jwt_token(fresh, f"openid {aud_scope(project_id)}")
    header = jwt.get_unverified_header(token)
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    key = jwt.PyJWK(jwk).key
    claims = jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        audience=project_id,
        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
    )
    assert set(claims) == {"iss", "sub", "aud", "exp", "iat", "nbf", "client_id", "jti"}
    assert claims["aud"] == [project_id] and claims["client_id"] == "jwt-type"
    assert claims["iss"] == "http://issuer.test"


async def test_jwt_access_token_without_aud_scope_has_the_client_id_as_aud(
    fresh: MockIssuer,
) -> None:
    token, _ = await _jwt_token(fresh, "openid")
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == ["jwt-type"]
    assert await _introspect(fresh, token) == {"active": False}


async def test_jwt_access_tokens_introspect_like_opaque_ones(fresh: MockIssuer) -> None:
    token, _ = await _jwt_token(fresh, f"openid {aud_scope(fresh.provision().project.id)}")
    body = await _introspect(fresh, token)
    assert body["active"] is True and ROLES in body
    fresh.revoke_token(token)
    assert await _introspect(fresh, token) == {"active": False}


async def test_a_jwt_signed_by_another_key_is_inactive(fresh: MockIssuer) -> None:
    token, _ = await _jwt_token(fresh, f"openid {aud_scope(fresh.provision().project.id)}")
    claims = jwt.decode(token, options={"verify_signature": False})
    other = MockIssuer().instance.signing_key()
    forged = jwt.encode(
        claims,
        other.private_key,
        algorithm="RS256",
        headers={"kid": jwt.get_unverified_header(token)["kid"]},
    )
    assert await _introspect(fresh, forged) == {"active": False}
