"""Revocation (RFC 7009 §2): tokens and PATs stop introspecting as active."""

from __future__ import annotations

import httpx
import pytest

from mock_issuer import MockIssuer

from .support import aud_scope, client, introspect, user_token

pytestmark = pytest.mark.anyio


async def _token(c: httpx.AsyncClient, issuer: MockIssuer) -> str:
    world = issuer.provision()
    return await user_token(c, issuer, world.cc_user, aud_scope(world.project.id))


async def test_rfc7009_revoked_token_introspects_inactive(fresh: MockIssuer) -> None:
    app = fresh.provision().api_basic_app
    async with client(fresh) as c:
        token = await _token(c, fresh)
        response = await c.post("/oauth/v2/revoke", data={"token": token})
        assert (response.status_code, response.content) == (200, b"")
        assert (await introspect(c, fresh, app, token)).json() == {"active": False}


async def test_rfc7009_revoking_with_the_users_own_credentials_works(fresh: MockIssuer) -> None:
    user = fresh.provision().cc_user
    async with client(fresh) as c:
        token = await _token(c, fresh)
        response = await c.post(
            "/oauth/v2/revoke",
            data={"token": token},
            auth=(user.username, user.client_secret or ""),
        )
    assert response.status_code == 200


async def test_rfc7009_revoking_a_pat_through_the_endpoint(fresh: MockIssuer) -> None:
    world = fresh.provision()
    async with client(fresh) as c:
        await c.post("/oauth/v2/revoke", data={"token": world.pat_user.pat or ""})
        response = await introspect(c, fresh, world.api_basic_app, world.pat_user.pat or "")
    assert response.json() == {"active": False}


async def test_rfc7009_unknown_tokens_are_answered_200(shared: MockIssuer) -> None:
    async with client(shared) as c:
        response = await c.post("/oauth/v2/revoke", data={"token": "never-issued"})
    assert response.status_code == 200
    assert shared.revoke_token("never-issued") is False


async def test_rfc7009_bad_client_credentials_are_invalid_client(shared: MockIssuer) -> None:
    async with client(shared) as c:
        response = await c.post("/oauth/v2/revoke", data={"token": "t"}, auth=("cc-user", "wrong"))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_client")


async def test_rfc7009_missing_token_is_invalid_request(shared: MockIssuer) -> None:
    async with client(shared) as c:
        response = await c.post("/oauth/v2/revoke", data={})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")
