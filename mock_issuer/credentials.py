"""Client secrets: generated once, shown once, stored only as salted digests (RFC 6749 §2.3.1).

Comparison is in constant time (RFC 6819 §5.1.4.2.1 discusses secret handling).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass


def new_client_secret() -> str:
    """A random 64-character secret made of URL-safe characters, like ZITADEL's."""
    return secrets.token_urlsafe(48)


ODD_CHARACTERS = ":%+ é"
"""What breaks a Basic header built without RFC 6749 §2.3.1's form-urlencoding."""


def odd_client_secret() -> str:
    """A random secret holding ``:``, ``%``, ``+``, a space and a non-ASCII character.

    ZITADEL's own secrets are URL-safe, so clients that skip the form-urlencoding work by luck;
    with this secret they fail (``+`` reads as a space, ``%`` starts an escape).
    """
    half = secrets.token_urlsafe(12)
    return f"{half}{ODD_CHARACTERS}{secrets.token_urlsafe(12)}"


@dataclass(frozen=True)
class SecretDigest:
    """A salted HMAC-SHA-256 digest of a client secret."""

    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, secret: str) -> SecretDigest:
        """Digest ``secret`` with a fresh random salt."""
        salt = secrets.token_bytes(16)
        return cls(salt, _digest(salt, secret))

    def matches(self, candidate: str) -> bool:
        """Whether ``candidate`` is the secret, compared in constant time."""
        return hmac.compare_digest(self.digest, _digest(self.salt, candidate))


def _digest(salt: bytes, secret: str) -> bytes:
    return hmac.new(salt, secret.encode("utf-8"), hashlib.sha256).digest()
