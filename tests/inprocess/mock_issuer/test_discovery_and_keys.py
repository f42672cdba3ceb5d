"""Discovery document and JWKS (OpenID Connect Discovery §4, RFC 7517; spec §1)."""

from __future__ import annotations

import pytest

from mock_issuer import MockIssuer

from .support import client

pytestmark = pytest.mark.anyio


async def test_discovery_lists_zitadels_endpoint_paths_under_the_issuer(shared: MockIssuer) -> None:
    async with client(shared) as c:
        doc = (await c.get("/.well-known/openid-configuration")).json()
    assert doc["issuer"] == "http://issuer.test"
    assert doc["token_endpoint"] == "http://issuer.test/oauth/v2/token"
    assert doc["introspection_endpoint"] == "http://issuer.test/oauth/v2/introspect"
    assert doc["revocation_endpoint"] == "http://issuer.test/oauth/v2/revoke"
    assert doc["jwks_uri"] == "http://issuer.test/oauth/v2/keys"
    assert doc["userinfo_endpoint"] == "http://issuer.test/oidc/v1/userinfo"


async def test_discovery_advertises_zitadels_methods(shared: MockIssuer) -> None:
    async with client(shared) as c:
        doc = (await c.get("/.well-known/openid-configuration")).json()
    assert doc["introspection_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "private_key_jwt",
    ]
    assert "client_secret_post" in doc["token_endpoint_auth_methods_supported"]
    assert "urn:ietf:params:oauth:grant-type:jwt-bearer" in doc["grant_types_supported"]
    assert "client_credentials" in doc["grant_types_supported"]
    assert doc["introspection_endpoint_auth_signing_alg_values_supported"] == ["RS256"]
    assert "check_session_iframe" not in doc


async def test_jwks_publishes_one_public_rs256_key_with_a_kid(shared: MockIssuer) -> None:
    async with client(shared) as c:
        response = await c.get("/oauth/v2/keys")
    (key,) = response.json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert key["kid"] and "d" not in key
    assert "max-age" in response.headers["cache-control"]


async def test_urls_follow_the_issuer(shared: MockIssuer) -> None:
    assert shared.discovery_url == "http://issuer.test/.well-known/openid-configuration"
    assert shared.token_endpoint.endswith("/oauth/v2/token")
    assert shared.introspection_endpoint.endswith("/oauth/v2/introspect")
    assert shared.revocation_endpoint.endswith("/oauth/v2/revoke")
    assert shared.jwks_uri.endswith("/oauth/v2/keys")
