"""In-memory store of organisations, projects, apps, users and tokens (RFC 7662 §2.2 lookups).

Thread-safe: the issuer serves from a uvicorn thread while tests change it from theirs.
Opaque tokens are kept as SHA-256 digests, so the store never holds a usable token.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from mock_issuer.credentials import SecretDigest
from mock_issuer.model import AppRecord, Org, Project, PublicKey, TokenRecord, UserRecord


@dataclass(frozen=True)
class TokenView:
    """What an introspection answer needs besides the token: its user (a copy), org, project."""

    user: UserRecord
    org: Org
    project: Project | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Store:
    """All mutable state of one mock instance, behind one re-entrant lock."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._orgs: dict[str, Org] = {}
        self._projects: dict[str, Project] = {}
        self._apps: dict[str, AppRecord] = {}
        self._users: dict[str, UserRecord] = {}
        self._tokens: dict[str, TokenRecord] = {}
        self._opaque: dict[str, str] = {}
        # Numeric, 18-digit ids, increasing like ZITADEL's snowflake ids.
        self._next_id = 200_000_000_000_000_000 + secrets.randbelow(10**17)

    def new_id(self) -> str:
        """A fresh numeric id as a string."""
        with self._lock:
            self._next_id += 1 + secrets.randbelow(1000)
            return str(self._next_id)

    # Writes: every change to the mock's state goes through one of these, under the lock.

    def add_org(self, org: Org) -> None:
        """Remember an organisation."""
        with self._lock:
            self._orgs[org.id] = org

    def add_project(self, project: Project) -> None:
        """Remember a project."""
        with self._lock:
            self._projects[project.id] = project

    def add_app(self, record: AppRecord) -> None:
        """Remember an API app under its client id."""
        with self._lock:
            self._apps[record.client_id] = record

    def add_user(self, record: UserRecord) -> None:
        """Remember a service user; its login name must be new."""
        with self._lock:
            if not record.username or self.user_by_username(record.username) is not None:
                raise ValueError(
                    f"Username {record.username!r} is empty or taken; pick another one."
                )
            self._users[record.user_id] = record

    def add_key(self, keys: list[PublicKey], key: PublicKey) -> None:
        """Add a public key to an app's or a user's key list."""
        with self._lock:
            keys.append(key)

    def set_secret(self, record: AppRecord | UserRecord, secret: SecretDigest) -> None:
        """Give an app or a user a (new) client secret digest."""
        with self._lock:
            record.secret = secret

    def grant_role(self, user: UserRecord, project_id: str, role: str) -> None:
        """Add a project role to a user's grants."""
        with self._lock:
            user.grants.setdefault(project_id, set()).add(role)

    def revoke_role(self, user: UserRecord, project_id: str, role: str) -> None:
        """Take a project role from a user's grants (no error if it was not granted)."""
        with self._lock:
            user.grants.get(project_id, set()).discard(role)

    def set_active(self, user: UserRecord, active: bool) -> None:
        """(De)activate a user."""
        with self._lock:
            user.active = active

    def revoke_token(self, record: TokenRecord) -> None:
        """Mark a token revoked."""
        with self._lock:
            record.revoked = True

    # Reads.

    def project(self, project_id: str) -> Project | None:
        """The project ``project_id``, if any."""
        with self._lock:
            return self._projects.get(project_id)

    def project_ids(self) -> list[str]:
        """Every project id, sorted."""
        with self._lock:
            return sorted(self._projects)

    def org(self, org_id: str) -> Org | None:
        """The organisation ``org_id``, if any."""
        with self._lock:
            return self._orgs.get(org_id)

    def owner_view(self, record: TokenRecord, app: AppRecord) -> TokenView | None:
        """A token's user, organisation and the app's project, read together under the lock;
        ``None`` when the user is gone. The caller builds its answer from this consistent copy."""
        with self._lock:
            user = self._users.get(record.user_id)
            if user is None:
                return None
            return TokenView(
                user=dataclasses.replace(
                    user, grants={pid: set(roles) for pid, roles in user.grants.items()}
                ),
                org=self._orgs[user.org_id],
                project=self._projects.get(app.project_id),
            )

    def app(self, client_id: str) -> AppRecord | None:
        """The API app with ``client_id``, if any."""
        with self._lock:
            return self._apps.get(client_id)

    def user(self, user_id: str) -> UserRecord | None:
        """The service user with ``user_id``, if any."""
        with self._lock:
            return self._users.get(user_id)

    def user_by_username(self, username: str) -> UserRecord | None:
        """The service user whose login name is ``username``, if any."""
        with self._lock:
            return next((u for u in self._users.values() if u.username == username), None)

    def user_key(self, key_id: str, user_id: str, now: float) -> RSAPublicKey | None:
        """The user's unexpired public key ``key_id`` (looked up by kid and iss, as ZITADEL)."""
        with self._lock:
            user = self._users.get(user_id)
            keys = user.keys if user else []
            return next(
                (k.public_key for k in keys if k.key_id == key_id and k.valid_at(now)), None
            )

    def app_key(self, key_id: str, client_id: str, now: float) -> RSAPublicKey | None:
        """The app's unexpired public key ``key_id``."""
        with self._lock:
            app = self._apps.get(client_id)
            keys = app.keys if app else []
            return next(
                (k.public_key for k in keys if k.key_id == key_id and k.valid_at(now)), None
            )

    def add_token(self, record: TokenRecord, opaque_value: str | None = None) -> None:
        """Remember an issued token; opaque ones are indexed by the digest of their value."""
        with self._lock:
            self._tokens[record.token_id] = record
            if opaque_value is not None:
                self._opaque[_digest(opaque_value)] = record.token_id

    def opaque_token(self, value: str) -> TokenRecord | None:
        """The record of an opaque token (or PAT) by its value."""
        with self._lock:
            token_id = self._opaque.get(_digest(value))
            return self._tokens.get(token_id) if token_id else None

    def token(self, token_id: str) -> TokenRecord | None:
        """The record of a token by its id (a JWT's ``jti``)."""
        with self._lock:
            return self._tokens.get(token_id)
