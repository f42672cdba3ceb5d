"""Clock, key files and secret digests (RFC 7519 §4.1.4, RFC 8017, RFC 6749 §2.3.1)."""

from __future__ import annotations

import time

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from mock_issuer.clock import SettableClock
from mock_issuer.credentials import SecretDigest, new_client_secret
from mock_issuer.keys import (
    SigningKey,
    application_key_file,
    generate_private_key,
    service_account_key_file,
)


def test_a_frozen_clock_moves_only_when_told() -> None:
    clock = SettableClock(start=1000.0)
    assert clock.now() == 1000.0
    clock.advance(30)
    assert clock.now() == 1030.0
    clock.set(5.0)
    assert clock.now() == 5.0


def test_a_default_clock_follows_real_time_plus_its_offset() -> None:
    clock = SettableClock()
    clock.advance(3600)
    assert abs(clock.now() - (time.time() + 3600)) < 5


def test_key_files_have_zitadels_layout_and_pkcs1_pem() -> None:
    key = generate_private_key()
    app = application_key_file("k1", key, "a1", "c1")
    user = service_account_key_file("k2", key, "u1")
    assert list(app) == ["type", "keyId", "key", "appId", "clientId"]
    assert list(user) == ["type", "keyId", "key", "userId"]
    assert (app["type"], user["type"]) == ("application", "serviceaccount")
    assert app["key"].splitlines()[0] == "-----BEGIN " + "RSA PRIVATE KEY-----"  # PKCS#1
    loaded = load_pem_private_key(app["key"].encode(), password=None)
    assert isinstance(loaded, rsa.RSAPrivateKey) and loaded.key_size == 2048


def test_the_signing_key_publishes_a_public_rs256_jwk_with_kid() -> None:
    jwk = SigningKey("kid-1", generate_private_key()).public_jwk()
    assert (jwk["kid"], jwk["alg"], jwk["use"], jwk["kty"]) == ("kid-1", "RS256", "sig", "RSA")
    assert "d" not in jwk and "p" not in jwk


def test_secret_digests_match_only_the_secret() -> None:
    secret = new_client_secret()
    digest = SecretDigest.of(secret)
    assert digest.matches(secret)
    assert not digest.matches(secret + "x")
    assert secret.encode() not in digest.digest + digest.salt
