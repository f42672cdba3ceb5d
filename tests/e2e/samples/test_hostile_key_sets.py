"""A dripped, a 50 MB and a gzip-bombed JWKS or discovery document: the API answers 503 (or
with the keys it has cached), reads at most its size cap, stops at its deadline, and serves its
other routes meanwhile.

The bound on memory is shown here as a bound on the bytes oauthkit reads from the issuer
(counted under its real aiohttp transport); the peak RSS of a real API process and the times
are measured by `python -m benchmarks.hostile` (`benchmarks/README.md`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import api_basic_auth.app
import api_jwt.app
import api_local_jwt.app
from oauthkit import ApiSettings, ClientSecret, JwtRules, TokenPolicy
from oauthkit.aiohttp_transport import IssuerTransport

from .hostile_issuer import (
    FLOODS,
    HANG_GUARD_S,
    HostileServer,
    Issuer,
    gzip_bomb,
    hostile_server,
)
from .test_malformed_issuer import api_key, serving, token_for

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
DEADLINE_S = 1.0
MAX_BYTES = 256 * 1024
CHUNK_SLACK = 64 * 1024  # what one read of the transport may bring beyond the cap
CAUSES = {
    "dripped": f"within the {DEADLINE_S:g} s deadline",
    "50-mb": f"more than {MAX_BYTES} bytes",
    "gzip-bomb": "compressed (gzip)",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    gzip_bomb()  # made before any API waits for it: slower than the deadline on a busy machine
    with hostile_server() as server:
        yield server


class _Counted(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, transport: CountingTransport) -> None:
        self._stream, self._transport = stream, transport

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            self._transport.read += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


class CountingTransport(IssuerTransport):
    """The APIs' own transport, counting the body bytes read through it."""

    def __init__(self) -> None:
        super().__init__()
        self.read = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers.raw,
            stream=_Counted(response.stream, self),
            request=request,
        )


def _app(api: str, issuer: Issuer, transport: CountingTransport) -> FastAPI:
    # No cooldown: an unknown kid refreshes the keys at once.
    rules = JwtRules(jwks_refresh_cooldown=0.0, jwks_timeout=DEADLINE_S, jwks_max_bytes=MAX_BYTES)
    credentials: Any = {
        "api_local_jwt": rules,
        "api_jwt": api_key(),
        "api_basic_auth": ClientSecret("api", "api-secret"),
    }[api]
    settings = ApiSettings(
        issuer.url,
        credentials,
        TokenPolicy(issuer=issuer.url),
        api,
        introspection_timeout=DEADLINE_S,
        introspection_max_bytes=MAX_BYTES,
    )
    module = {"api_local_jwt": api_local_jwt, "api_jwt": api_jwt, "api_basic_auth": api_basic_auth}
    app: FastAPI = module[api].app.create_app(settings, transport=transport)
    return app


CASES = [
    pytest.param(endpoint, api, flood, id=f"{endpoint}-{api}-{flood}")
    for endpoint, apis in {
        "jwks": ("api_local_jwt",),
        "discovery": ("api_jwt", "api_basic_auth", "api_local_jwt"),
    }.items()
    for api in apis
    for flood in FLOODS
]


@pytest.mark.parametrize(("endpoint", "api", "flood"), CASES)
async def test_a_hostile_key_set_or_discovery_document_is_a_503_read_within_the_cap(
    hostile: HostileServer, caplog: pytest.LogCaptureFixture, endpoint: str, api: str, flood: str
) -> None:
    issuer, counted = hostile.issuer(**{endpoint: flood}), CountingTransport()
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        async with serving(_app(api, issuer, counted)) as client:
            bearer = {"Authorization": f"Bearer {token_for(api, issuer)}"}
            response = await client.get("/api/private", headers=bearer)
    assert response.status_code == 503
    assert response.json()["error"] == "temporarily_unavailable"
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(logged) == 1 and CAUSES[flood] in logged[0]
    assert counted.read <= MAX_BYTES + CHUNK_SLACK


@pytest.mark.parametrize("flood", FLOODS)
async def test_with_its_keys_cached_the_api_keeps_accepting_their_tokens(
    hostile: HostileServer, flood: str
) -> None:
    issuer, counted = hostile.issuer(), CountingTransport()
    async with serving(_app("api_local_jwt", issuer, counted)) as client:
        first = await client.get(
            "/api/private", headers={"Authorization": f"Bearer {issuer.jwt()}"}
        )
        issuer.hostile["jwks"] = flood
        cached = await client.get(
            "/api/private", headers={"Authorization": f"Bearer {issuer.jwt()}"}
        )
        unknown = issuer.jwt(kid="a-key-nobody-has")
        refresh = await client.get("/api/private", headers={"Authorization": f"Bearer {unknown}"})
    assert (first.status_code, cached.status_code, refresh.status_code) == (200, 200, 503)
    assert counted.read <= MAX_BYTES + 2 * CHUNK_SLACK


async def test_a_dripped_key_set_does_not_hold_up_the_other_routes(hostile: HostileServer) -> None:
    issuer = hostile.issuer(jwks="dripped")
    async with serving(_app("api_local_jwt", issuer, CountingTransport())) as client:
        bearer = {"Authorization": f"Bearer {issuer.jwt()}"}
        private = asyncio.ensure_future(client.get("/api/private", headers=bearer))
        asked = await asyncio.to_thread(issuer.was_asked("jwks").wait, HANG_GUARD_S)
        public = await client.get("/api/public")
        answered_first = not private.done()
        refused = await private
    assert asked and public.status_code == 200 and answered_first
    assert refused.status_code == 503
