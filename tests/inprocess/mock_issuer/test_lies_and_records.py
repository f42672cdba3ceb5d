"""The lying issuer answers as documented, and the record of introspection requests holds facts."""

from __future__ import annotations

import base64
import zlib
from urllib.parse import quote_plus

import pytest

from mock_issuer import FaultKind, MockIssuer, token_digest
from mock_issuer.lie_answers import BOMB_EXPANDED_BYTES, ELSEWHERE_PATH, _bomb
from mock_issuer.lies import LieKind

from .support import aud_scope, client, introspect, user_token

pytestmark = pytest.mark.anyio


def test_the_gzip_bomb_is_small_and_expands_to_what_it_claims() -> None:
    body = _bomb()
    expanded = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(body)
    assert len(body) < BOMB_EXPANDED_BYTES // 500
    assert len(expanded) > BOMB_EXPANDED_BYTES and expanded.startswith(b'{"active": true')


async def test_a_claim_lie_bends_the_true_answer_and_ends_with_its_block(fresh: MockIssuer) -> None:
    world = fresh.provision()
    async with client(fresh) as c:
        token = await user_token(c, fresh, world.cc_user, aud_scope(world.project.id))
        with fresh.lie(LieKind.ACTIVE_STRING):
            lied = await introspect(c, fresh, world.api_basic_app, token)
        honest = await introspect(c, fresh, world.api_basic_app, token)
    assert lied.json()["active"] == "true" and lied.json()["sub"] == honest.json()["sub"]
    assert honest.json()["active"] is True


async def test_a_refused_request_is_not_lied_about(fresh: MockIssuer) -> None:
    with fresh.lie(LieKind.ACTIVE_STRING):
        async with client(fresh) as c:
            response = await c.post("/oauth/v2/introspect", data={"token": "t"})
    assert response.status_code == 400
    assert fresh.lies.told(LieKind.ACTIVE_STRING) == 0


async def test_each_lie_told_is_counted_and_a_lie_nobody_asks_for_is_not(
    fresh: MockIssuer,
) -> None:
    world = fresh.provision()
    async with client(fresh) as c:
        token = await user_token(c, fresh, world.cc_user, aud_scope(world.project.id))
        with fresh.lie(LieKind.EXPIRED), fresh.lie(LieKind.DISCOVERY_HUGE_NUMBER):
            await introspect(c, fresh, world.api_basic_app, token)
    assert fresh.lies.told(LieKind.EXPIRED) == 1
    assert fresh.lies.told(LieKind.DISCOVERY_HUGE_NUMBER) == 0


async def test_a_lie_scoped_to_a_token_is_told_about_that_token_only(fresh: MockIssuer) -> None:
    world = fresh.provision()
    async with client(fresh) as c:
        scope = aud_scope(world.project.id)
        mine, other = [await user_token(c, fresh, world.cc_user, scope) for _ in range(2)]
        with fresh.lie(LieKind.ACTIVE_STRING, token=mine):
            lied = await introspect(c, fresh, world.api_basic_app, mine)
            honest = await introspect(c, fresh, world.api_basic_app, other)
    assert lied.json()["active"] == "true" and honest.json()["active"] is True
    assert fresh.lies.told(LieKind.ACTIVE_STRING, mine) == 1
    assert fresh.lies.told(LieKind.ACTIVE_STRING, other) == 0
    assert fresh.lies.told(LieKind.ACTIVE_STRING) == 1


async def test_a_fault_scoped_to_a_token_spares_the_others(fresh: MockIssuer) -> None:
    world = fresh.provision()
    app = world.api_basic_app
    async with client(fresh) as c:
        scope = aud_scope(world.project.id)
        mine, other = [await user_token(c, fresh, world.cc_user, scope) for _ in range(2)]
        with fresh.fault(FaultKind.SERVER_ERROR, endpoint="introspect", status=502, token=mine):
            faulted, spared = [await introspect(c, fresh, app, t) for t in (mine, other)]
        with fresh.fault(FaultKind.REJECT_CLIENT, client_id=app.client_id, token=mine):
            rejected, accepted = [await introspect(c, fresh, app, t) for t in (mine, other)]
    assert (faulted.status_code, spared.json()["active"]) == (502, True)
    assert (rejected.json()["error"], accepted.json()["active"]) == ("unauthorized_client", True)
    digests = {r.token_digest for r in fresh.introspections.since(0)}
    assert digests == {token_digest(mine), token_digest(other)}


async def test_the_redirect_points_elsewhere_and_following_it_is_counted(
    fresh: MockIssuer,
) -> None:
    world = fresh.provision()
    async with client(fresh) as c:
        with fresh.lie(LieKind.REDIRECT_ELSEWHERE):
            response = await introspect(c, fresh, world.api_basic_app, "t")
        followed = await c.post(ELSEWHERE_PATH)
    assert response.status_code == 302
    assert response.headers["location"] == fresh.issuer + ELSEWHERE_PATH
    assert followed.json()["active"] is True and fresh.lies.redirects_followed == 1


async def test_a_discovery_lie_leaves_introspection_alone(fresh: MockIssuer) -> None:
    with fresh.lie(LieKind.DISCOVERY_NO_INTROSPECTION):
        async with client(fresh) as c:
            document = (await c.get("/.well-known/openid-configuration")).json()
    assert "introspection_endpoint" not in document and document["issuer"] == fresh.issuer


async def test_each_introspection_request_is_recorded_as_facts_without_secrets(
    fresh: MockIssuer,
) -> None:
    world = fresh.provision()
    app = world.api_basic_app
    secret = app.client_secret or ""
    raw = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
    encoded = f"{quote_plus(app.client_id)}:{quote_plus(secret + ' é')}".encode()
    async with client(fresh) as c:
        await introspect(c, fresh, world.api_jwt_app, "t")
        await c.post(
            "/oauth/v2/introspect", data={"token": "t"}, headers={"Authorization": f"Basic {raw}"}
        )
        await c.post(
            "/oauth/v2/introspect",
            data={"token": "t", "client_secret": "x"},
            headers={"Authorization": "Basic " + base64.b64encode(encoded).decode()},
        )
    jwt_call, basic_call, two_methods = fresh.introspections.since(0)
    assert jwt_call.methods == ("private_key_jwt",) and jwt_call.assertion is not None
    assert jwt_call.assertion.iss == jwt_call.assertion.sub == world.api_jwt_app.client_id
    assert jwt_call.assertion.has_jti and fresh.issuer in jwt_call.assertion.aud
    assert basic_call.methods == ("client_secret_basic",) and basic_call.basic_form_encoded
    assert two_methods.methods == ("client_secret_basic", "client_secret_post")
    assert secret not in repr(fresh.introspections.since(0))
