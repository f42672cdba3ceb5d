"""RFC 8707 resource indicators: TOKEN_RESOURCE in the settings, `resource` in the grants.

RFC 8707 §2 (https://www.rfc-editor.org/rfc/rfc8707#section-2): each indicator is an absolute
URI without a fragment, sent as its own `resource` parameter of the token request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from oauthkit import (
    ClientCredentialsGrant,
    ClientSecret,
    ClientSettings,
    ConfigError,
    EnvSource,
    JwtProfileGrant,
    ServiceAccountKey,
    load_client_credentials_settings,
    load_jwt_client_settings,
)

from .fakes import ISSUER, FakeIssuer, write_json

NOW = 1_760_000_000.0
API = "https://api.example.com/"
OTHER = "urn:example:other-api"


def env(tmp_path: Path, **values: str) -> EnvSource:
    base = {"ZITADEL_DOMAIN": ISSUER, "PROJECT_ID": "P1", "CLIENT_ID": "svc", "CLIENT_SECRET": "s"}
    return EnvSource(base | values, tmp_path / ".env", env_file_found=False)


@pytest.fixture
def http(fake_issuer: FakeIssuer) -> Iterator[httpx.Client]:
    with httpx.Client(transport=fake_issuer.transport()) as client:
        yield client


def sent_form(fake_issuer: FakeIssuer) -> dict[str, list[str]]:
    return parse_qs(fake_issuer.requests[-1].content.decode())


def test_no_token_resource_means_no_resource_parameter(tmp_path: Path) -> None:
    assert load_client_credentials_settings(env(tmp_path)).resources == ()


def test_token_resource_holds_space_separated_indicators(tmp_path: Path) -> None:
    settings = load_client_credentials_settings(env(tmp_path, TOKEN_RESOURCE=f" {API}  {OTHER} "))
    assert settings.resources == (API, OTHER)


def test_the_jwt_profile_client_reads_it_too(tmp_path: Path, user_key_json: dict[str, str]) -> None:
    write_json(tmp_path / "key.json", user_key_json)
    source = env(tmp_path, CLIENT_PRIVATE_KEY_FILE_PATH="key.json", TOKEN_RESOURCE=API)
    assert load_jwt_client_settings(source).resources == (API,)


@pytest.mark.parametrize("bad", ["api", "/relative/path", "https://api.example.com/#part"])
def test_rfc8707_2_an_indicator_must_be_an_absolute_uri_without_fragment(
    tmp_path: Path, bad: str
) -> None:
    with pytest.raises(ConfigError, match=r"TOKEN_RESOURCE holds .* \(RFC 8707 §2\)"):
        load_client_credentials_settings(env(tmp_path, TOKEN_RESOURCE=bad))


def test_rfc8707_2_each_indicator_is_its_own_resource_parameter(
    http: httpx.Client, fake_issuer: FakeIssuer
) -> None:
    secret = ClientSecret("svc", "s")
    settings = ClientSettings(ISSUER, secret, ("openid",), resources=(API, OTHER))
    ClientCredentialsGrant(settings, http).fetch(NOW)
    form = sent_form(fake_issuer)
    assert form["resource"] == [API, OTHER]
    assert form["scope"] == ["openid"] and form["grant_type"] == ["client_credentials"]


def test_the_jwt_profile_grant_sends_the_resource_beside_its_assertion(
    http: httpx.Client, fake_issuer: FakeIssuer, user_key: ServiceAccountKey
) -> None:
    settings = ClientSettings(ISSUER, user_key, ("openid",), resources=(API,))
    JwtProfileGrant(settings, http).fetch(NOW)
    form = sent_form(fake_issuer)
    assert form["resource"] == [API] and "assertion" in form


def test_without_resources_the_form_has_no_resource_parameter(
    http: httpx.Client, fake_issuer: FakeIssuer
) -> None:
    settings = ClientSettings(ISSUER, ClientSecret("svc", "s"), ("openid",))
    ClientCredentialsGrant(settings, http).fetch(NOW)
    assert "resource" not in sent_form(fake_issuer)
