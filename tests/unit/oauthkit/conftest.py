"""Fixtures for oauthkit's unit tests: keys made at run time and a scripted fake issuer."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from oauthkit import ApplicationKey, ServiceAccountKey, parse_key_file

from .fakes import FakeIssuer, pem


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    """One RSA 2048 key for the whole session (generating keys is slow)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def app_key_json(rsa_key: rsa.RSAPrivateKey) -> dict[str, str]:
    """An API app's key file in ZITADEL's layout, PKCS#1 PEM."""
    return {
        "type": "application",
        "keyId": "kid-app-1",
        "key": pem(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL),
        "appId": "app-1",
        "clientId": "client-app-1",
    }


@pytest.fixture(scope="session")
def user_key_json(rsa_key: rsa.RSAPrivateKey) -> dict[str, str]:
    """A service user's key file in ZITADEL's layout, PKCS#1 PEM."""
    return {
        "type": "serviceaccount",
        "keyId": "kid-user-1",
        "key": pem(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL),
        "userId": "user-1",
    }


@pytest.fixture
def fake_issuer() -> FakeIssuer:
    """A fresh scripted issuer."""
    return FakeIssuer()


@pytest.fixture
def app_key(app_key_json: dict[str, str]) -> ApplicationKey:
    """The API app key, parsed."""
    key = parse_key_file(app_key_json, source="api.json")
    assert isinstance(key, ApplicationKey)
    return key


@pytest.fixture
def user_key(user_key_json: dict[str, str]) -> ServiceAccountKey:
    """The service user key, parsed."""
    key = parse_key_file(user_key_json, source="user.json")
    assert isinstance(key, ServiceAccountKey)
    return key
