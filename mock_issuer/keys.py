"""RSA keys and ZITADEL's JSON key files (RFC 7517 for the JWKS, RFC 8017 for PKCS#1).

Keys are RSA 2048 (a web key may also be EC P-256, RFC 7518 §3.4), generated at run time and
never written anywhere but the key files a user asks for. Key files have ZITADEL's exact
layout (``type``, ``keyId``, ``key``, then ``appId`` and ``clientId`` for applications or
``userId`` for service accounts) with a PKCS#1 ``RSA PRIVATE KEY`` PEM, as ZITADEL's console
downloads them.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

KEY_SIZE = 2048

KeyFile = dict[str, str]


def generate_private_key() -> rsa.RSAPrivateKey:
    """A fresh RSA 2048 private key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


class _Shelf:
    """RSA keys made once and kept, in the order they were asked for (thread-safe)."""

    def __init__(self) -> None:
        self._keys: list[rsa.RSAPrivateKey] = []
        self._lock = threading.Lock()

    def get(self, index: int) -> rsa.RSAPrivateKey:
        with self._lock:  # one maker at a time: a second asker waits for the same key
            while len(self._keys) <= index:
                self._keys.append(generate_private_key())
            return self._keys[index]


_SHARED = _Shelf()


class KeyPool:
    """Where an instance's RSA keys come from, in the order it asks for them.

    A pool of its own (the default) makes every key fresh. A shared pool
    (``KeyPool(shared=True)``) hands the n-th key an instance asks for to every instance of the
    process that asks for an n-th: made once, at first use. Each instance's keys are distinct
    from each other; two instances with shared pools have the same key material (under kids of
    their own), so a token of one may verify at an API of the other that ignores ``kid``:
    only for instances that never meet, as the harness's targets (one issuer each). Making a
    2048-bit key holds the GIL for 50-200 ms; a harness worker runs several targets.
    """

    def __init__(self, shared: bool = False) -> None:
        self._shelf = _SHARED if shared else _Shelf()
        self._taken = itertools.count()

    def take(self) -> rsa.RSAPrivateKey:
        """The instance's next key."""
        return self._shelf.get(next(self._taken))


def pkcs1_pem(key: rsa.RSAPrivateKey) -> str:
    """The key as PKCS#1 PEM (PEM label ``RSA PRIVATE KEY``)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode("ascii")


def application_key_file(
    key_id: str, key: rsa.RSAPrivateKey, app_id: str, client_id: str
) -> KeyFile:
    """An API application's key file, as ZITADEL's console downloads it."""
    return {
        "type": "application",
        "keyId": key_id,
        "key": pkcs1_pem(key),
        "appId": app_id,
        "clientId": client_id,
    }


def service_account_key_file(key_id: str, key: rsa.RSAPrivateKey, user_id: str) -> KeyFile:
    """A service user's key file, as ZITADEL's console downloads it."""
    return {"type": "serviceaccount", "keyId": key_id, "key": pkcs1_pem(key), "userId": user_id}


@dataclass(frozen=True)
class SigningKey:
    """An instance web key (RS256, or ES256 on P-256); published at the JWKS endpoint."""

    kid: str
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    alg: str = "RS256"

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK with ``kid``, ``use`` and ``alg`` (RFC 7517 §4)."""
        public = self.private_key.public_key()
        jwk: dict[str, Any] = (
            ECAlgorithm.to_jwk(public, as_dict=True)
            if isinstance(public, ec.EllipticCurvePublicKey)
            else RSAAlgorithm.to_jwk(public, as_dict=True)
        )
        return {**jwk, "kid": self.kid, "use": "sig", "alg": self.alg}


def generate_web_key(kid: str, algorithm: str, pool: KeyPool) -> SigningKey:
    """A new web key for ``algorithm``: ``RS256`` (RSA 2048, from ``pool``) or ``ES256`` (EC
    P-256)."""
    if algorithm == "ES256":
        return SigningKey(kid, ec.generate_private_key(ec.SECP256R1()), "ES256")
    if algorithm == "RS256":
        return SigningKey(kid, pool.take())
    raise ValueError(f"algorithm {algorithm!r}: the mock makes RS256 or ES256 web keys")
