"""In-memory store of organisations, projects, apps, users and tokens (RFC 7662 §2.2 lookups).

Thread-safe: the issuer serves from a uvicorn thread while tests change it from theirs.
Opaque tokens are kept as SHA-256 digests, so the store never holds a usable token.
"""

from __future__ import annotations

import hashlib
import secrets
import threading

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from harness.mock_issuer.model import AppRecord, Org, Project, TokenRecord, UserRecord


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Store:
    """All mutable state of one mock instance, behind one re-entrant lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.orgs: dict[str, Org] = {}
        self.projects: dict[str, Project] = {}
        self.apps: dict[str, AppRecord] = {}
        self.users: dict[str, UserRecord] = {}
        self.tokens: dict[str, TokenRecord] = {}
        self._opaque: dict[str, str] = {}
        # Numeric, 18-digit ids, increasing like ZITADEL's snowflake ids.
        self._next_id = 200_000_000_000_000_000 + secrets.randbelow(10**17)

    def new_id(self) -> str:
        """A fresh numeric id as a string."""
        with self.lock:
            self._next_id += 1 + secrets.randbelow(1000)
            return str(self._next_id)

    def app(self, client_id: str) -> AppRecord | None:
        """The API app with ``client_id``, if any."""
        with self.lock:
            return self.apps.get(client_id)

    def user(self, user_id: str) -> UserRecord | None:
        """The service user with ``user_id``, if any."""
        with self.lock:
            return self.users.get(user_id)

    def user_by_username(self, username: str) -> UserRecord | None:
        """The service user whose login name is ``username``, if any."""
        with self.lock:
            return next((u for u in self.users.values() if u.username == username), None)

    def user_key(self, key_id: str, user_id: str, now: float) -> RSAPublicKey | None:
        """The user's unexpired public key ``key_id`` (looked up by kid and iss, as ZITADEL)."""
        with self.lock:
            user = self.users.get(user_id)
            keys = user.keys if user else []
            return next(
                (k.public_key for k in keys if k.key_id == key_id and k.valid_at(now)), None
            )

    def app_key(self, key_id: str, client_id: str, now: float) -> RSAPublicKey | None:
        """The app's unexpired public key ``key_id``."""
        with self.lock:
            app = self.apps.get(client_id)
            keys = app.keys if app else []
            return next(
                (k.public_key for k in keys if k.key_id == key_id and k.valid_at(now)), None
            )

    def add_token(self, record: TokenRecord, opaque_value: str | None = None) -> None:
        """Remember an issued token; opaque ones are indexed by the digest of their value."""
        with self.lock:
            self.tokens[record.token_id] = record
            if opaque_value is not None:
                self._opaque[_digest(opaque_value)] = record.token_id

    def opaque_token(self, value: str) -> TokenRecord | None:
        """The record of an opaque token (or PAT) by its value."""
        with self.lock:
            token_id = self._opaque.get(_digest(value))
            return self.tokens.get(token_id) if token_id else None

    def token(self, token_id: str) -> TokenRecord | None:
        """The record of a token by its id (a JWT's ``jti``)."""
        with self.lock:
            return self.tokens.get(token_id)
