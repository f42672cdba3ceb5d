"""Fault injection seen through the ASGI app (real-server behaviour is in tests/e2e)."""

from __future__ import annotations

import json

import pytest

from mock_issuer import DropConnection, FaultKind, MockIssuer

from .support import aud_scope, client, introspect, user_token

pytestmark = pytest.mark.anyio


async def test_server_error_fault_hits_only_its_endpoint(fresh: MockIssuer) -> None:
    world = fresh.provision()
    fresh.faults.set(FaultKind.SERVER_ERROR, status=503, endpoint="introspect")
    async with client(fresh) as c:
        token = await user_token(c, fresh, world.cc_user, aud_scope(world.project.id))
        response = await introspect(c, fresh, world.api_basic_app, token)
    assert response.status_code == 503
    assert response.json()["error"] == "server_error"


async def test_malformed_json_fault_answers_200_with_unparsable_json(fresh: MockIssuer) -> None:
    app = fresh.provision().api_basic_app
    with fresh.fault(FaultKind.MALFORMED_JSON, endpoint="introspect"):
        async with client(fresh) as c:
            response = await introspect(c, fresh, app, "t")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


async def test_drop_connection_in_process_raises_drop_connection(fresh: MockIssuer) -> None:
    with fresh.fault(FaultKind.DROP_CONNECTION, endpoint="token"):
        async with client(fresh) as c:
            with pytest.raises(DropConnection):
                await c.post("/oauth/v2/token", data={"grant_type": "x"})


async def test_a_fault_context_switches_off_after_the_block(fresh: MockIssuer) -> None:
    with fresh.fault(FaultKind.SERVER_ERROR, status=500):
        async with client(fresh) as c:
            assert (await c.get("/oauth/v2/keys")).status_code == 500
    async with client(fresh) as c:
        assert (await c.get("/oauth/v2/keys")).status_code == 200


async def test_reject_client_makes_introspection_refuse_that_app_only(fresh: MockIssuer) -> None:
    world = fresh.provision()
    fresh.faults.set(FaultKind.REJECT_CLIENT, client_id=world.api_basic_app.client_id)
    async with client(fresh) as c:
        token = await user_token(c, fresh, world.cc_user, aud_scope(world.project.id))
        rejected = await introspect(c, fresh, world.api_basic_app, token)
        other = await introspect(c, fresh, world.api_jwt_app, token)
        fresh.faults.clear()
        again = await introspect(c, fresh, world.api_basic_app, token)
    assert (rejected.status_code, rejected.json()["error"]) == (400, "unauthorized_client")
    assert other.json()["active"] is True
    assert again.json()["active"] is True
