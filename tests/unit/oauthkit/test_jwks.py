"""The JWKS cache: refresh on unknown kids with a cooldown, coalesced, working while down."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from oauthkit import Discovery, InvalidToken, IssuerError, JwksCache

from .fakes import ISSUER, FakeIssuer, json_response

pytestmark = pytest.mark.anyio
NOW = 1_760_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


class KeyServer:
    """A fake issuer whose JWKS lists the kids in ``kids``, up or down, counting fetches."""

    def __init__(self, key: rsa.RSAPrivateKey) -> None:
        self.jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        self.kids = ["k1"]
        self.down = False
        self.fetches = 0
        self.fake = FakeIssuer()
        self.fake.discovery = lambda r: json_response(
            200, {"issuer": ISSUER, "token_endpoint": f"{ISSUER}/t", "jwks_uri": f"{ISSUER}/keys"}
        )
        self.fake.routes["/keys"] = self.keys

    def keys(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        if self.down:
            return httpx.Response(503)
        return json_response(200, {"keys": [{**self.jwk, "kid": kid} for kid in self.kids]})


@pytest.fixture
def server(rsa_key: rsa.RSAPrivateKey) -> KeyServer:
    return KeyServer(rsa_key)


async def with_cache(server: KeyServer, clock: Clock, body: Any) -> Any:
    async with httpx.AsyncClient(transport=server.fake.transport()) as http:
        cache = JwksCache(http, Discovery(http, ISSUER), clock=clock, cooldown=5)
        return await body(cache)


async def test_known_kids_are_served_from_the_cache(server: KeyServer) -> None:
    async def body(cache: JwksCache) -> None:
        assert (await cache.key("k1")).kid == "k1"
        assert (await cache.key("k1")).kid == "k1"

    await with_cache(server, Clock(), body)
    assert server.fetches == 1


async def test_a_flood_of_unknown_kids_fetches_once_per_cooldown(server: KeyServer) -> None:
    clock = Clock()

    async def body(cache: JwksCache) -> None:
        await cache.key("k1")
        for n in range(50):
            with pytest.raises(InvalidToken):
                await cache.key(f"random-{n}")
        clock.now += 5
        with pytest.raises(InvalidToken):
            await cache.key("random-again")

    await with_cache(server, clock, body)
    assert server.fetches == 2  # the first fetch, then one after the cooldown


async def test_concurrent_unknown_kids_share_one_refresh(server: KeyServer) -> None:
    async def body(cache: JwksCache) -> list[Any]:
        return await asyncio.gather(
            *(cache.key(f"random-{n}") for n in range(20)), return_exceptions=True
        )

    results = await with_cache(server, Clock(), body)
    assert all(isinstance(r, InvalidToken) for r in results)
    assert server.fetches == 1


async def test_a_rotated_key_is_found_by_a_refresh(server: KeyServer) -> None:
    clock = Clock()

    async def body(cache: JwksCache) -> None:
        await cache.key("k1")
        server.kids = ["k2", "k1"]
        clock.now += 5
        assert (await cache.key("k2")).kid == "k2"

    await with_cache(server, clock, body)


async def test_while_the_jwks_is_down_cached_keys_work_and_unknown_ones_are_503(
    server: KeyServer,
) -> None:
    clock = Clock()

    async def body(cache: JwksCache) -> None:
        await cache.key("k1")
        server.down = True
        clock.now += 5
        with pytest.raises(IssuerError):
            await cache.key("k2")  # tries, fails: the API cannot know
        assert (await cache.key("k1")).kid == "k1"
        with pytest.raises(IssuerError):
            await cache.key("k3")  # within the cooldown: still 503, no new fetch

    await with_cache(server, clock, body)
    assert server.fetches == 2


async def test_an_issuer_down_from_the_start_is_503_not_401(server: KeyServer) -> None:
    server.down = True

    async def body(cache: JwksCache) -> None:
        with pytest.raises(IssuerError):
            await cache.key("k1")

    await with_cache(server, Clock(), body)


@pytest.mark.parametrize(
    "keys",
    [
        {"keys": "nope"},
        {"nothing": []},
    ],
)
async def test_a_jwks_without_a_keys_list_is_an_issuer_failure(
    server: KeyServer, keys: dict[str, Any]
) -> None:
    server.fake.routes["/keys"] = lambda r: json_response(200, keys)

    async def body(cache: JwksCache) -> None:
        with pytest.raises(IssuerError, match="keys"):
            await cache.key("k1")

    await with_cache(server, Clock(), body)


async def test_unusable_and_encryption_keys_are_skipped(server: KeyServer) -> None:
    entries = [{"kty": "RSA", "kid": "bad", "n": "x"}, {**server.jwk, "kid": "enc", "use": "enc"}]
    server.fake.routes["/keys"] = lambda r: json_response(200, {"keys": entries})

    async def body(cache: JwksCache) -> None:
        with pytest.raises(InvalidToken):
            await cache.key("enc")

    await with_cache(server, Clock(), body)
