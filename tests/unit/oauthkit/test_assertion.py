"""RFC 7523 assertions: iss = sub, aud = issuer, short lifetime, fresh jti, kid header."""

from __future__ import annotations

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from oauthkit import (
    ApplicationKey,
    AssertionSettings,
    ServiceAccountKey,
    client_assertion,
    grant_assertion,
)

from .fakes import ISSUER

NOW = 1_760_000_000.7


def decode(token: str, rsa_key: rsa.RSAPrivateKey, audience: str = ISSUER) -> dict[str, object]:
    claims: dict[str, object] = jwt.decode(
        token,
        rsa_key.public_key(),
        algorithms=["RS256"],
        audience=audience,
        options={"verify_exp": False, "verify_iat": False},
    )
    return claims


def test_rfc7523_2_2_client_assertion_names_the_client_as_iss_and_sub(
    app_key: ApplicationKey, rsa_key: rsa.RSAPrivateKey
) -> None:
    claims = decode(client_assertion(app_key, ISSUER, NOW, AssertionSettings()), rsa_key)
    assert claims["iss"] == claims["sub"] == "client-app-1"
    assert claims["aud"] == ISSUER


def test_rfc7523_2_1_grant_assertion_names_the_user_as_iss_and_sub(
    user_key: ServiceAccountKey, rsa_key: rsa.RSAPrivateKey
) -> None:
    claims = decode(grant_assertion(user_key, ISSUER, NOW, AssertionSettings()), rsa_key)
    assert claims["iss"] == claims["sub"] == "user-1"


def test_rfc7523_3_assertion_lives_for_the_configured_lifetime(
    user_key: ServiceAccountKey, rsa_key: rsa.RSAPrivateKey
) -> None:
    claims = decode(
        grant_assertion(user_key, ISSUER, NOW, AssertionSettings(lifetime=120)), rsa_key
    )
    assert claims["iat"] == 1_760_000_000
    assert claims["exp"] == 1_760_000_120


def test_rfc7523_3_each_assertion_has_a_fresh_jti(
    user_key: ServiceAccountKey, rsa_key: rsa.RSAPrivateKey
) -> None:
    jtis = {
        decode(grant_assertion(user_key, ISSUER, NOW, AssertionSettings()), rsa_key)["jti"]
        for _ in range(5)
    }
    assert len(jtis) == 5


def test_jti_can_be_switched_off(user_key: ServiceAccountKey, rsa_key: rsa.RSAPrivateKey) -> None:
    claims = decode(grant_assertion(user_key, ISSUER, NOW, AssertionSettings(jti=False)), rsa_key)
    assert "jti" not in claims


def test_configured_audience_replaces_the_issuer(
    app_key: ApplicationKey, rsa_key: rsa.RSAPrivateKey
) -> None:
    settings = AssertionSettings(audience=f"{ISSUER}/oauth/v2/token")
    token = client_assertion(app_key, ISSUER, NOW, settings)
    assert decode(token, rsa_key, audience=f"{ISSUER}/oauth/v2/token")["aud"] == settings.audience


def test_header_carries_the_key_id_and_rs256(app_key: ApplicationKey) -> None:
    header = jwt.get_unverified_header(client_assertion(app_key, ISSUER, NOW, AssertionSettings()))
    assert header["kid"] == "kid-app-1"
    assert header["alg"] == "RS256"
