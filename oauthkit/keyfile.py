"""ZITADEL key files: the JSON a user downloads for an API app or a service user.

Two layouts (zitadel-spec.md §5):

    {"type": "application",    "keyId": ..., "key": "<PEM>", "appId": ..., "clientId": ...}
    {"type": "serviceaccount", "keyId": ..., "key": "<PEM>", "userId": ...}

The key is a PEM private key, PKCS#1 (`RSA PRIVATE KEY`, what ZITADEL writes) or PKCS#8; RSA
keys sign RS256 and P-256 keys ES256 (RFC 7518 §3.1). Errors name the file and the field and
never echo the key. The keys sign RFC 7523 assertions (https://www.rfc-editor.org/rfc/rfc7523).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from oauthkit.errors import ConfigError

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True, kw_only=True)
class SigningKey:
    """A private key with the id (`kid`) the issuer knows it by."""

    key_id: str
    private_key: PrivateKey = field(repr=False)

    @property
    def algorithm(self) -> str:
        """The JWS `alg` this key signs with."""
        return "RS256" if isinstance(self.private_key, rsa.RSAPrivateKey) else "ES256"


@dataclass(frozen=True, kw_only=True)
class ApplicationKey(SigningKey):
    """The key of an API (or OIDC) app: authenticates the app as `client_id`."""

    app_id: str
    client_id: str


@dataclass(frozen=True, kw_only=True)
class ServiceAccountKey(SigningKey):
    """The key of a service user: signs the JWT profile grant as `user_id`."""

    user_id: str


KeyFile = ApplicationKey | ServiceAccountKey
K = TypeVar("K", ApplicationKey, ServiceAccountKey)
_FIELDS = {"application": ("appId", "clientId"), "serviceaccount": ("userId",)}


def read_key_file(path: Path) -> KeyFile:
    """Read and parse a key file; `ConfigError` names the file and what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"key file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"key file {path} cannot be read ({type(exc).__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # The decoder's message names a position only; the content stays out of it.
        raise ConfigError(f"key file {path} is not JSON ({exc.msg} at line {exc.lineno})") from None
    return parse_key_file(data, source=str(path))


def parse_key_file(data: object, *, source: str) -> KeyFile:
    """Parse key-file JSON already loaded (e.g. from the mock issuer); `source` names it."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"key file {source} is not a JSON object")
    kind = _text(data, "type", source)
    if kind not in _FIELDS:
        raise ConfigError(
            f"key file {source}: field 'type' is {kind!r}; expected 'application' or "
            "'serviceaccount' (download the key again from ZITADEL's console)"
        )
    key_id = _text(data, "keyId", source)
    private_key = _private_key(_text(data, "key", source), source)
    ids = [_text(data, name, source) for name in _FIELDS[kind]]
    if kind == "application":
        return ApplicationKey(
            key_id=key_id, private_key=private_key, app_id=ids[0], client_id=ids[1]
        )
    return ServiceAccountKey(key_id=key_id, private_key=private_key, user_id=ids[0])


def read_application_key(path: Path) -> ApplicationKey:
    """Read the key file of an API app; a service user's key file is refused with a hint."""
    wrong = "a service user's key ('type': 'serviceaccount'); the API needs its API app's key"
    return _expect(read_key_file(path), ApplicationKey, f"key file {path} is {wrong}")


def read_service_account_key(path: Path) -> ServiceAccountKey:
    """Read the key file of a service user; an app's key file is refused with a hint."""
    wrong = "an app's key ('type': 'application'); the JWT profile grant needs a service user's"
    return _expect(read_key_file(path), ServiceAccountKey, f"key file {path} is {wrong} key")


def _expect(key: KeyFile, kind: type[K], problem: str) -> K:
    if isinstance(key, kind):
        return key
    owner = "API app" if kind is ApplicationKey else "service user"
    wanted = "application" if kind is ApplicationKey else "serviceaccount"
    raise ConfigError(
        f"{problem} ('type': '{wanted}'): create one under the {owner}'s Keys in ZITADEL's console"
    )


def _text(data: Mapping[str, object], name: str, source: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"key file {source}: field {name!r} is missing or not a string")
    return value


def _private_key(pem: str, source: str) -> PrivateKey:
    try:
        key = _loaded(pem)
    except (ValueError, TypeError):
        raise ConfigError(
            f"key file {source}: field 'key' is not an unencrypted PEM private key "
            "(PKCS#1 'RSA PRIVATE KEY' or PKCS#8 'PRIVATE KEY')"
        ) from None
    if isinstance(key, rsa.RSAPrivateKey):
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    raise ConfigError(f"key file {source}: field 'key' must be an RSA or P-256 private key")


@functools.lru_cache(maxsize=64)
def _loaded(pem: str) -> object:
    """The key a PEM holds, loaded once (a client reads its key file for every token it asks;
    a bad PEM raises each time, nothing is cached).

    Without cryptography's consistency check of RSA keys (40 ms each, most of a client's
    start): it guards against private keys an attacker crafted, and a key file is the user's
    own secret, downloaded from the issuer. A PEM that does not parse is refused as before.
    """
    return load_pem_private_key(pem.encode(), password=None, unsafe_skip_rsa_key_validation=True)
