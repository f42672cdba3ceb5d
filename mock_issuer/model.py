"""The mock's data: ZITADEL's resources as plain dataclasses (RFC 7662 §2.2 for token fields).

Records (``*Record``) are what the store keeps: public keys and secret digests only. The frozen
views (:class:`ApiApp`, :class:`ServiceUser`) are what the admin calls hand back once, with the
private key file and the plain secret, as ZITADEL shows them once at creation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from mock_issuer.credentials import SecretDigest
from mock_issuer.keys import KeyFile

AccessTokenType = Literal["bearer", "jwt"]
AppAuthMethod = Literal["private_key_jwt", "client_secret_basic"]
TokenKind = Literal["opaque", "jwt", "pat"]

# ZITADEL's "no expiry": 9999-12-31T23:59:59Z.
NO_EXPIRY = 253402300799.0


@dataclass(frozen=True)
class Org:
    """An organisation; role grants name it with its primary domain."""

    id: str
    name: str
    primary_domain: str


@dataclass(frozen=True)
class Project:
    """A project: the audience of tokens and the owner of roles."""

    id: str
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class PublicKey:
    """A registered public key; it verifies assertions until ``expires_at``."""

    key_id: str
    public_key: RSAPublicKey
    expires_at: float = NO_EXPIRY

    def valid_at(self, now: float) -> bool:
        """Whether the key has not expired at ``now``."""
        return now < self.expires_at


@dataclass
class AppRecord:
    """An API application of a project, authenticating with a key or a secret."""

    app_id: str
    client_id: str
    project_id: str
    auth_method: AppAuthMethod
    secret: SecretDigest | None = None
    keys: list[PublicKey] = field(default_factory=list)


@dataclass
class UserRecord:
    """A machine (service) user, its credentials and its role grants per project."""

    user_id: str
    username: str
    name: str
    org_id: str
    access_token_type: AccessTokenType = "bearer"
    active: bool = True
    secret: SecretDigest | None = None
    keys: list[PublicKey] = field(default_factory=list)
    grants: dict[str, set[str]] = field(default_factory=dict)
    updated_at: float = 0.0


@dataclass
class TokenRecord:
    """An issued access token or PAT, as the introspection endpoint needs it."""

    token_id: str
    kind: TokenKind
    user_id: str
    client_id: str | None
    scopes: tuple[str, ...]
    audience: tuple[str, ...]
    issued_at: float
    expires_at: float
    amr: tuple[str, ...] = ()
    revoked: bool = False


@dataclass(frozen=True)
class ApiApp:
    """An API app as created: its ids and, once, its secret or key file."""

    app_id: str
    client_id: str
    project_id: str
    auth_method: AppAuthMethod
    client_secret: str | None = field(default=None, repr=False)
    key_file: KeyFile | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ServiceUser:
    """A service user as created: ids, token type and, once, its key file, secret and PAT."""

    user_id: str
    username: str
    access_token_type: AccessTokenType
    key_file: KeyFile | None = field(default=None, repr=False)
    client_secret: str | None = field(default=None, repr=False)
    pat: str | None = field(default=None, repr=False)
