"""The three grants (RFC 7523 §2.1, RFC 6749 §4.4, PAT) and reusing a token until near expiry."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from oauthkit import (
    AccessToken,
    BearerAuth,
    ClientCredentialsGrant,
    ClientSecret,
    ClientSettings,
    GrantError,
    JwtProfileGrant,
    PatGrant,
    PersonalAccessToken,
    ServiceAccountKey,
    TokenSource,
)

from .fakes import ISSUER, FakeIssuer, form_of, json_response

NOW = 1_760_000_000.0
SCOPES = ("openid", "urn:zitadel:iam:org:project:id:P1:aud")


@pytest.fixture
def http(fake_issuer: FakeIssuer) -> Iterator[httpx.Client]:
    with httpx.Client(transport=fake_issuer.transport()) as client:
        yield client


def test_rfc7523_2_1_jwt_profile_posts_a_signed_assertion_and_the_scopes(
    http: httpx.Client,
    fake_issuer: FakeIssuer,
    user_key: ServiceAccountKey,
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    grant = JwtProfileGrant(ClientSettings(ISSUER, user_key, SCOPES), http)
    token = grant.fetch(NOW)
    assert (token.access_token, token.expires_in, token.obtained_at) == ("tok-1", 3600, NOW)
    assert fake_issuer.paths() == ["/.well-known/openid-configuration", "/oauth/v2/token"]
    form = form_of(fake_issuer.requests[-1])
    assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert form["scope"] == " ".join(SCOPES)
    assert "client_id" not in form and "Authorization" not in fake_issuer.requests[-1].headers
    claims = jwt.decode(
        form["assertion"],
        rsa_key.public_key(),
        algorithms=["RS256"],
        audience=ISSUER,
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims["iss"] == claims["sub"] == "user-1"


def test_jwt_profile_sends_a_client_id_when_configured(
    http: httpx.Client, fake_issuer: FakeIssuer, user_key: ServiceAccountKey
) -> None:
    JwtProfileGrant(ClientSettings(ISSUER, user_key, SCOPES, client_id="pub"), http).fetch(NOW)
    assert form_of(fake_issuer.requests[-1])["client_id"] == "pub"


def test_token_endpoint_is_discovered_once_per_grant(
    http: httpx.Client, fake_issuer: FakeIssuer, user_key: ServiceAccountKey
) -> None:
    grant = JwtProfileGrant(ClientSettings(ISSUER, user_key, SCOPES), http)
    grant.fetch(NOW)
    grant.fetch(NOW + 1)
    assert fake_issuer.paths().count("/.well-known/openid-configuration") == 1


def test_rfc6749_2_3_1_client_credentials_sends_form_urlencoded_basic(
    http: httpx.Client, fake_issuer: FakeIssuer
) -> None:
    secret = ClientSecret("svc user", "p:a+s%s")
    ClientCredentialsGrant(ClientSettings(ISSUER, secret, SCOPES), http).fetch(NOW)
    request = fake_issuer.requests[-1]
    basic = base64.b64decode(request.headers["Authorization"].removeprefix("Basic ")).decode()
    assert basic == "svc+user:p%3Aa%2Bs%25s"
    assert form_of(request) == {"grant_type": "client_credentials", "scope": " ".join(SCOPES)}


def test_client_credentials_with_post_sends_the_secret_in_the_form_only(
    http: httpx.Client, fake_issuer: FakeIssuer
) -> None:
    secret = ClientSecret("svc", "s3cret", "client_secret_post")
    ClientCredentialsGrant(ClientSettings(ISSUER, secret, SCOPES), http).fetch(NOW)
    request = fake_issuer.requests[-1]
    assert "Authorization" not in request.headers
    assert form_of(request)["client_id"] == "svc"
    assert form_of(request)["client_secret"] == "s3cret"


def test_refused_client_credentials_raise_grant_error_with_hint(
    http: httpx.Client, fake_issuer: FakeIssuer
) -> None:
    fake_issuer.token = lambda r: json_response(
        400, {"error": "invalid_request", "error_description": "Errors.User.Machine.Secret.Invalid"}
    )
    grant = ClientCredentialsGrant(ClientSettings(ISSUER, ClientSecret("svc", "bad"), SCOPES), http)
    with pytest.raises(GrantError) as raised:
        grant.fetch(NOW)
    assert raised.value.hint and "CLIENT_SECRET" in raised.value.hint
    assert "bad" not in str(raised.value)


def test_pat_grant_returns_the_token_without_any_request(
    http: httpx.Client, fake_issuer: FakeIssuer
) -> None:
    token = PatGrant(ClientSettings("", PersonalAccessToken("pat-1"), ()), http).fetch(NOW)
    assert (token.access_token, token.token_type, token.expires_in) == ("pat-1", "Bearer", None)
    assert fake_issuer.requests == []


class CountingGrant:
    """A grant that hands out numbered tokens with a fixed lifetime."""

    def __init__(self, lifetime: int | None) -> None:
        self.lifetime = lifetime
        self.calls = 0

    def fetch(self, now: float) -> AccessToken:
        self.calls += 1
        return AccessToken(f"t{self.calls}", "Bearer", self.lifetime, None, now)


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("lifetime", "elapsed", "fetches"),
    [
        (43200, 0, 1),
        (43200, 43200 - 61, 1),  # more than 60 s left: reused
        (43200, 43200 - 60, 2),  # 60 s left: renewed
        (100, 89, 1),  # 11 s left of 100 (margin is 10% = 10 s)
        (100, 90, 2),
        (None, 10**9, 1),  # no expiry known (PAT): reused forever
    ],
)
def test_token_is_reused_until_less_than_a_margin_is_left(
    lifetime: int | None, elapsed: float, fetches: int
) -> None:
    grant, clock = CountingGrant(lifetime), FakeClock(NOW)
    source = TokenSource(grant, clock)
    source.token()
    clock.now += elapsed
    source.token()
    assert grant.calls == fetches


def test_bearer_auth_puts_the_token_on_requests() -> None:
    seen: list[str] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200)

    source = TokenSource(CountingGrant(3600), FakeClock(NOW))
    with httpx.Client(transport=httpx.MockTransport(api), auth=BearerAuth(source)) as client:
        client.get("http://api.test/x")
        client.get("http://api.test/y")
    assert seen == ["Bearer t1", "Bearer t1"]
