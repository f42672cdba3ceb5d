"""Discovery (OpenID Connect Discovery §4, RFC 8414 §3): endpoints found, mistakes named."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from oauthkit import (
    Discovery,
    IssuerFailed,
    IssuerUnreachable,
    ProviderMetadata,
    discovery_url,
    fetch_metadata,
)

from .fakes import ISSUER, FakeIssuer, json_response


def fetch(fake: FakeIssuer, issuer: str = ISSUER) -> ProviderMetadata:
    with httpx.Client(transport=fake.transport()) as http:
        return fetch_metadata(http, issuer)


def test_discovery_url_ignores_a_trailing_slash() -> None:
    assert discovery_url(ISSUER + "/") == f"{ISSUER}/.well-known/openid-configuration"


def test_endpoints_are_taken_from_the_document(fake_issuer: FakeIssuer) -> None:
    metadata = fetch(fake_issuer)
    assert metadata.token_endpoint == f"{ISSUER}/oauth/v2/token"
    assert metadata.revocation_endpoint is None


def test_rfc8414_3_3_issuer_mismatch_is_named_with_a_fix(fake_issuer: FakeIssuer) -> None:
    fake_issuer.discovery = lambda r: json_response(
        200, {"issuer": "https://other.test", "token_endpoint": "https://other.test/token"}
    )
    with pytest.raises(
        IssuerFailed, match=r"names the issuer 'https://other.test'.*ZITADEL_DOMAIN"
    ):
        fetch(fake_issuer)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (httpx.Response(404), "answered 404"),
        (httpx.Response(200, text="<html>"), "not JSON"),
        (httpx.Response(200, json=["x"]), "not an object"),
        (httpx.Response(200, json={"issuer": ISSUER}), "token_endpoint is missing"),
        (
            httpx.Response(200, json={"issuer": ISSUER, "token_endpoint": "/token"}),
            "token_endpoint is missing or not a URL",
        ),
    ],
)
def test_unusable_document_is_an_issuer_failure(
    fake_issuer: FakeIssuer, answer: httpx.Response, message: str
) -> None:
    fake_issuer.discovery = lambda r: answer
    with pytest.raises(IssuerFailed, match=message):
        fetch(fake_issuer)


def test_unreachable_issuer_names_the_url(fake_issuer: FakeIssuer) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    fake_issuer.discovery = refuse
    with pytest.raises(IssuerUnreachable, match="openid-configuration failed: ConnectError"):
        fetch(fake_issuer)


@pytest.mark.anyio
async def test_async_discovery_is_fetched_once_even_for_concurrent_callers(
    fake_issuer: FakeIssuer,
) -> None:
    async with httpx.AsyncClient(transport=fake_issuer.transport()) as http:
        discovery = Discovery(http, ISSUER)
        results = await asyncio.gather(*(discovery.metadata() for _ in range(5)))
    assert len({id(r) for r in results}) == 1
    assert fake_issuer.paths().count("/.well-known/openid-configuration") == 1


@pytest.mark.anyio
async def test_failed_discovery_is_retried_on_the_next_call(fake_issuer: FakeIssuer) -> None:
    answers = iter([httpx.Response(503), None])
    good = fake_issuer.discovery
    fake_issuer.discovery = lambda r: next(answers) or good(r)
    async with httpx.AsyncClient(transport=fake_issuer.transport()) as http:
        discovery = Discovery(http, ISSUER)
        with pytest.raises(IssuerFailed):
            await discovery.metadata()
        assert (await discovery.metadata()).issuer == ISSUER
