"""The RFC 7662 client: request shape per client auth, errors as IssuerError, cache, coalescing."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from oauthkit import (
    ApplicationKey,
    ClientAuth,
    ClientSecret,
    ClientSecretBasic,
    Introspector,
    IssuerFailed,
    IssuerRejectedClient,
    IssuerUnreachable,
    PrivateKeyJwt,
    digest,
)

from .fakes import ISSUER, FakeIssuer, form_of, json_response

NOW = 1_760_000_000.0
BASIC = ClientSecretBasic(ClientSecret("api client", "s:cret"))
pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def make(fake_issuer: FakeIssuer, clock: Clock) -> AsyncIterator[Callable[..., Introspector]]:
    async with httpx.AsyncClient(transport=fake_issuer.transport()) as http:

        def build(auth: ClientAuth = BASIC, cache_ttl: float = 0.0) -> Introspector:
            return Introspector(http, ISSUER, auth, clock=clock, cache_ttl=cache_ttl)

        yield build


def introspections(fake: FakeIssuer) -> list[httpx.Request]:
    return [r for r in fake.requests if r.url.path == "/oauth/v2/introspect"]


async def test_rfc6749_2_3_1_basic_auth_sends_encoded_header_and_only_the_token(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer
) -> None:
    assert await make().introspect("tok") == {"active": True}
    request = introspections(fake_issuer)[0]
    basic = base64.b64decode(request.headers["Authorization"].removeprefix("Basic ")).decode()
    assert basic == "api+client:s%3Acret"
    assert form_of(request) == {"token": "tok"}


async def test_rfc7523_2_2_private_key_jwt_sends_a_fresh_assertion_per_request(
    make: Callable[..., Introspector],
    fake_issuer: FakeIssuer,
    app_key: ApplicationKey,
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    introspector = make(PrivateKeyJwt(app_key))
    await introspector.introspect("a")
    await introspector.introspect("b")
    forms = [form_of(r) for r in introspections(fake_issuer)]
    assert forms[0]["client_assertion_type"] == (
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    )
    assert "Authorization" not in introspections(fake_issuer)[0].headers
    claims = [
        jwt.decode(
            f["client_assertion"],
            rsa_key.public_key(),
            algorithms=["RS256"],
            audience=ISSUER,
            options={"verify_exp": False, "verify_iat": False},
        )
        for f in forms
    ]
    assert claims[0]["iss"] == claims[0]["sub"] == "client-app-1"
    assert claims[0]["iat"] == int(NOW)
    assert claims[0]["jti"] != claims[1]["jti"]


async def test_inactive_answer_is_returned_as_is(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer
) -> None:
    fake_issuer.introspect = lambda r: json_response(200, {"active": False})
    assert await make().introspect("tok") == {"active": False}


def raising(exc: type[httpx.TransportError]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)

    return handler


FAILURES = [
    ("connection-refused", raising(httpx.ConnectError), IssuerUnreachable, "ConnectError"),
    ("read-timeout", raising(httpx.ReadTimeout), IssuerUnreachable, "timed out"),
    ("connection-dropped", raising(httpx.RemoteProtocolError), IssuerUnreachable, "RemoteProtocol"),
    ("server-error", lambda r: httpx.Response(500), IssuerFailed, "answered 500"),
    ("unavailable", lambda r: httpx.Response(503, text="busy"), IssuerFailed, "answered 503"),
    ("rate-limited", lambda r: httpx.Response(429), IssuerFailed, "answered 429"),
    ("not-json", lambda r: httpx.Response(200, text="{oops"), IssuerFailed, "not JSON"),
    ("json-array", lambda r: json_response(200, [True]), IssuerFailed, "not an object"),
    ("json-string", lambda r: json_response(200, "active"), IssuerFailed, "not an object"),
    ("no-active", lambda r: json_response(200, {"sub": "x"}), IssuerFailed, "'active'"),
    (
        "unauthorized-client",
        lambda r: json_response(400, {"error": "unauthorized_client"}),
        IssuerRejectedClient,
        "400 unauthorized_client.*client_id api client, client_secret_basic.*API_CLIENT_SECRET",
    ),
    (
        "invalid-client-401",
        lambda r: json_response(401, {"error": "invalid_client"}),
        IssuerRejectedClient,
        "401 invalid_client",
    ),
    ("forbidden-no-body", lambda r: httpx.Response(403), IssuerRejectedClient, "403"),
]


@pytest.mark.parametrize(
    ("case", "handler", "error", "message"), FAILURES, ids=[f[0] for f in FAILURES]
)
async def test_issuer_failures_raise_issuer_errors_that_say_which(
    make: Callable[..., Introspector],
    fake_issuer: FakeIssuer,
    case: str,
    handler: Callable[[httpx.Request], httpx.Response],
    error: type[Exception],
    message: str,
) -> None:
    fake_issuer.introspect = handler
    with pytest.raises(error, match=message) as raised:
        await make().introspect("secret-token")
    assert "secret-token" not in str(raised.value)
    assert "s:cret" not in str(raised.value)


async def test_discovery_without_introspection_endpoint_is_an_issuer_failure(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer
) -> None:
    fake_issuer.discovery = lambda r: json_response(
        200, {"issuer": ISSUER, "token_endpoint": f"{ISSUER}/token"}
    )
    with pytest.raises(IssuerFailed, match="no introspection"):
        await make().introspect("tok")


async def test_without_cache_every_lookup_asks_the_issuer(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer
) -> None:
    introspector = make()
    await introspector.introspect("tok")
    await introspector.introspect("tok")
    assert len(introspections(fake_issuer)) == 2


async def test_rfc7662_4_cached_answer_is_reused_within_the_ttl(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer, clock: Clock
) -> None:
    introspector = make(cache_ttl=60)
    await introspector.introspect("tok")
    clock.now += 59
    await introspector.introspect("tok")
    assert len(introspections(fake_issuer)) == 1
    clock.now += 1
    await introspector.introspect("tok")
    assert len(introspections(fake_issuer)) == 2


async def test_rfc7662_4_cached_answer_never_outlives_the_token_exp(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer, clock: Clock
) -> None:
    fake_issuer.introspect = lambda r: json_response(200, {"active": True, "exp": NOW + 10})
    introspector = make(cache_ttl=3600)
    await introspector.introspect("tok")
    clock.now += 10
    await introspector.introspect("tok")
    assert len(introspections(fake_issuer)) == 2


async def test_issuer_errors_are_not_cached(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer
) -> None:
    answers = iter([httpx.Response(503), json_response(200, {"active": True})])
    fake_issuer.introspect = lambda r: next(answers)
    introspector = make(cache_ttl=60)
    with pytest.raises(IssuerFailed):
        await introspector.introspect("tok")
    assert await introspector.introspect("tok") == {"active": True}


def gated(
    release: asyncio.Event, calls: list[str]
) -> Callable[[httpx.Request], Awaitable[httpx.Response]]:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("openid-configuration"):
            return FakeIssuer().discovery(request)
        calls.append(form_of(request)["token"])
        await release.wait()
        return json_response(200, {"active": True})

    return handler


async def test_concurrent_lookups_of_one_token_share_one_request(clock: Clock) -> None:
    release, calls = asyncio.Event(), []
    async with httpx.AsyncClient(transport=httpx.MockTransport(gated(release, calls))) as http:
        introspector = Introspector(http, ISSUER, BASIC, clock=clock)
        lookups = [asyncio.ensure_future(introspector.introspect("tok")) for _ in range(10)]
        other = asyncio.ensure_future(introspector.introspect("other"))
        while len(calls) < 2:
            await asyncio.sleep(0)
        release.set()
        results = await asyncio.gather(*lookups, other)
    assert calls.count("tok") == 1 and calls.count("other") == 1
    assert all(r == {"active": True} for r in results)


async def test_one_cancelled_caller_does_not_cancel_the_shared_lookup(clock: Clock) -> None:
    release, calls = asyncio.Event(), []
    async with httpx.AsyncClient(transport=httpx.MockTransport(gated(release, calls))) as http:
        introspector = Introspector(http, ISSUER, BASIC, clock=clock)
        first = asyncio.ensure_future(introspector.introspect("tok"))
        second = asyncio.ensure_future(introspector.introspect("tok"))
        while not calls:
            await asyncio.sleep(0)
        first.cancel()
        release.set()
        assert await second == {"active": True}
    assert calls == ["tok"]


class _Drip(httpx.AsyncByteStream):
    """A body sent one byte per step, forever slower than any deadline here."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for byte in b'{"active": true}' * 100:
            await asyncio.sleep(0.05)
            yield bytes([byte])


class _Chunks(httpx.AsyncByteStream):
    """A body of `count` chunks of 64 KiB, with no Content-Length."""

    def __init__(self, count: int) -> None:
        self.count = count

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            yield b" " * 65536


async def _introspector(fake: FakeIssuer, **options: float) -> AsyncIterator[Introspector]:
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        yield Introspector(http, ISSUER, BASIC, **options)  # type: ignore[arg-type]


async def test_a_body_dripped_past_the_deadline_fails_at_the_deadline_not_per_read(
    fake_issuer: FakeIssuer,
) -> None:
    fake_issuer.introspect = lambda r: httpx.Response(
        200, headers={"content-type": "application/json"}, stream=_Drip()
    )
    async for introspector in _introspector(fake_issuer, deadline_s=0.3):
        with pytest.raises(IssuerUnreachable, match=r"0\.3 s deadline"):
            await introspector.introspect("tok")


@pytest.mark.parametrize("declared", [True, False])
async def test_an_answer_above_the_size_cap_is_refused_without_reading_it_all(
    fake_issuer: FakeIssuer, declared: bool
) -> None:
    headers = {"content-type": "application/json"}
    if declared:
        headers["content-length"] = str(64 * 65536)
    fake_issuer.introspect = lambda r: httpx.Response(200, headers=headers, stream=_Chunks(64))
    async for introspector in _introspector(fake_issuer, max_answer_bytes=100_000):
        with pytest.raises(IssuerFailed, match="100000"):
            await introspector.introspect("tok")


async def test_a_compressed_answer_is_refused_as_identity_was_asked(
    fake_issuer: FakeIssuer,
) -> None:
    headers = {"content-type": "application/json", "content-encoding": "gzip"}
    fake_issuer.introspect = lambda r: httpx.Response(200, headers=headers, content=b"\x1f\x8b")
    async for introspector in _introspector(fake_issuer):
        with pytest.raises(IssuerFailed, match="compressed"):
            await introspector.introspect("tok")
    assert introspections(fake_issuer)[0].headers["accept-encoding"] == "identity"


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ({"active": "true"}, "not a JSON boolean"),
        ({"active": True, "exp": "1800000000"}, "not a NumericDate"),
        ({"active": True, "aud": 5}, "neither a string nor an array"),
        ({"active": True, "iss": ["x"]}, "not a string"),
    ],
)
async def test_rfc7662_2_2_a_malformed_answer_is_the_issuers_failure(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer, answer: object, says: str
) -> None:
    fake_issuer.introspect = lambda r: json_response(200, answer)
    with pytest.raises(IssuerFailed, match=says):
        await make().introspect("tok")


async def test_a_lookup_keyed_by_the_tokens_digest_shares_the_cache_with_one_keyed_by_the_token(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer
) -> None:
    introspector = make(cache_ttl=60)
    await introspector.introspect("tok")
    await introspector.introspect("tok", digest("tok"))
    assert len(introspections(fake_issuer)) == 1


@pytest.mark.parametrize(
    ("status", "header", "passed_on"),
    [(429, "30", 30), (503, "7", 7), (429, "Wed, 21 Oct 2015 07:28:00 GMT", None),
     (500, "30", None), (429, "99999999", None)],
)  # fmt: skip
async def test_rfc9110_10_2_3_the_issuers_retry_after_is_passed_on_when_sane(
    make: Callable[..., Introspector], fake_issuer: FakeIssuer, status: int, header: str,
    passed_on: int | None,
) -> None:  # fmt: skip
    fake_issuer.introspect = lambda r: httpx.Response(status, headers={"Retry-After": header})
    with pytest.raises(IssuerFailed) as raised:
        await make().introspect("tok")
    assert raised.value.retry_after == passed_on
