"""The mock issuer counts the introspection requests that reach it (what the benchmarks report)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from mock_issuer import DropConnection, FaultKind, MockIssuer


def _issuer() -> MockIssuer:
    issuer = MockIssuer(issuer="http://issuer.test")
    issuer.provision()
    return issuer


async def _introspect(issuer: MockIssuer, times: int) -> list[int]:
    world = issuer.provision()
    app = world.api_basic_app
    auth = (app.client_id, app.client_secret or "")
    transport = httpx.ASGITransport(issuer.app)
    async with httpx.AsyncClient(transport=transport, base_url=issuer.issuer) as http:
        statuses = []
        for _ in range(times):
            response = await http.post(
                "/oauth/v2/introspect", data={"token": world.pat_user.pat or ""}, auth=auth
            )
            statuses.append(response.status_code)
        return statuses


def test_introspection_calls_counts_each_request_that_reaches_the_endpoint() -> None:
    issuer = _issuer()
    assert issuer.introspection_calls == 0
    assert asyncio.run(_introspect(issuer, 3)) == [200, 200, 200]
    assert issuer.introspection_calls == 3


def test_introspection_calls_include_slow_answers_but_not_dropped_connections() -> None:
    issuer = _issuer()
    with issuer.fault(FaultKind.LATENCY, endpoint="introspect", seconds=0.0):
        asyncio.run(_introspect(issuer, 1))
    with (
        issuer.fault(FaultKind.DROP_CONNECTION, endpoint="introspect"),
        pytest.raises(DropConnection),
    ):
        asyncio.run(_introspect(issuer, 1))
    assert issuer.introspection_calls == 1


def test_introspection_calls_ignore_other_endpoints() -> None:
    issuer = _issuer()

    async def discovery() -> int:
        transport = httpx.ASGITransport(issuer.app)
        async with httpx.AsyncClient(transport=transport, base_url=issuer.issuer) as http:
            return (await http.get("/.well-known/openid-configuration")).status_code

    assert asyncio.run(discovery()) == 200
    assert issuer.introspection_calls == 0
