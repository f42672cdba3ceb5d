"""Raw wire pieces for the interop tests, written against the RFCs and not against oauthkit.

The fixture tests must prove oidc-provider works as the harness will use it without depending
on the library under test, so they build requests by hand:
- RFC 6749 §2.3.1: client_id and secret are form-urlencoded before they go into Basic.
- RFC 7523 §3 (grant) and §2.2 (client authentication): RS256 JWTs signed with the keys from
  ZITADEL-layout key files, `kid` in the header, iss/sub/aud/exp/iat and a fresh `jti`.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

import jwt

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass(frozen=True)
class KeyFile:
    """A ZITADEL key file: `type: application` (clientId) or `type: serviceaccount` (userId)."""

    type: str
    keyId: str
    key: str
    subject: str

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Read a key file; the subject is the clientId (application) or userId (serviceaccount)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        subject = data["clientId"] if data["type"] == "application" else data["userId"]
        return cls(type=data["type"], keyId=data["keyId"], key=data["key"], subject=subject)


def basic_authorization(client_id: str, client_secret: str) -> str:
    """RFC 6749 §2.3.1: `Basic base64(urlencode(id):urlencode(secret))`."""
    pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def unencoded_basic_authorization(client_id: str, client_secret: str) -> str:
    """The public examples' mistake: Basic built from the raw id and secret."""
    pair = f"{client_id}:{client_secret}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def signed_assertion(
    key: KeyFile,
    audience: str,
    *,
    claims: Mapping[str, object] | None = None,
    drop: tuple[str, ...] = (),
    signing_key: str | None = None,
) -> str:
    """An RS256 JWT with iss = sub = the key's subject; `claims` override, `drop` removes."""
    now = int(time.time())
    payload: dict[str, object] = {
        "iss": key.subject,
        "sub": key.subject,
        "aud": audience,
        "iat": now,
        "exp": now + 60,
        "jti": str(uuid.uuid4()),
    }
    payload.update(claims or {})
    for name in drop:
        payload.pop(name, None)
    headers = {"kid": key.keyId}
    return jwt.encode(payload, signing_key or key.key, algorithm="RS256", headers=headers)


def client_assertion_form(assertion: str) -> dict[str, str]:
    """RFC 7523 §2.2 form fields for private_key_jwt client authentication."""
    return {"client_assertion_type": CLIENT_ASSERTION_TYPE, "client_assertion": assertion}
