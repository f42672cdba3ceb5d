"""Secret-bearing credentials, and the fingerprint that stands in for a secret in logs.

RFC 6749 §2.3.1 (https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1) defines the client
password (`client_id` + `client_secret`); RFC 6750 §5.3 asks that bearer tokens never be
logged. These classes keep the secret out of `repr()`, so a logged settings object or a
traceback does not leak it; `fingerprint()` gives a short, stable, non-reversible name for one.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote_plus

ClientAuthMethod = Literal["client_secret_basic", "client_secret_post"]


def digest(secret: str) -> str:
    """The secret's SHA-256 in hex: a cache key that does not keep the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def short_digest(secret: str) -> str:
    """The first 8 hex digits of the secret's SHA-256: stable, short, not reversible."""
    return digest(secret)[:8]


def fingerprint(secret: str) -> str:
    """A short name for a secret for logs: `sha256:` and its `short_digest`."""
    return digest_fingerprint(digest(secret))


def digest_fingerprint(sha256_hex: str) -> str:
    """The `fingerprint` of a secret whose `digest` is already known (one hash per request)."""
    return "sha256:" + sha256_hex[:8]


@dataclass(frozen=True)
class ClientSecret:
    """A client password: `client_id` and `client_secret` (RFC 6749 §2.3.1)."""

    client_id: str
    client_secret: str = field(repr=False)
    method: ClientAuthMethod = "client_secret_basic"


@dataclass(frozen=True)
class PersonalAccessToken:
    """A personal access token: a long-lived bearer token handed out by the issuer as is."""

    token: str = field(repr=False)


def basic_authorization(client_id: str, client_secret: str) -> str:
    """The `Authorization: Basic` value for a client password (RFC 6749 §2.3.1).

    Both parts are form-urlencoded before base64, as §2.3.1 requires: a secret with `:`, `%`
    or `+` in it would otherwise reach the issuer changed.
    """
    pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
    return "Basic " + base64.b64encode(pair.encode()).decode("ascii")
