"""RFC 7523 JWT assertions: for client authentication and for the authorization grant.

RFC 7523 (https://www.rfc-editor.org/rfc/rfc7523): §2.1 uses a JWT as an authorization grant
(the service user's key: iss = sub = userId); §2.2 uses one for client authentication (the API
app's key: iss = sub = clientId). §3 asks for `aud` identifying the issuer, an `exp`, and allows
a `jti` that strict issuers use to reject replays, so every assertion gets a fresh one and a
short lifetime. The header carries the key's `kid`, which ZITADEL needs to find the key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import jwt

from oauthkit.keyfile import ApplicationKey, ServiceAccountKey, SigningKey

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
JWT_BEARER_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass(frozen=True)
class AssertionSettings:
    """How assertions are made: lifetime in seconds, whether to add a `jti`, and the `aud`.

    `audience` None means the issuer URL, which is what ZITADEL requires.
    """

    lifetime: int = 300
    jti: bool = True
    audience: str | None = None


def sign_assertion(
    key: SigningKey, subject: str, issuer_url: str, now: float, settings: AssertionSettings
) -> str:
    """Sign a JWT with iss = sub = `subject`, aud = the configured audience or `issuer_url`."""
    issued_at = int(now)
    claims: dict[str, object] = {
        "iss": subject,
        "sub": subject,
        "aud": settings.audience or issuer_url,
        "iat": issued_at,
        "exp": issued_at + settings.lifetime,
    }
    if settings.jti:
        claims["jti"] = secrets.token_urlsafe(16)
    headers = {"kid": key.key_id, "typ": "JWT"}
    return jwt.encode(claims, key.private_key, algorithm=key.algorithm, headers=headers)


def client_assertion(
    key: ApplicationKey, issuer_url: str, now: float, settings: AssertionSettings
) -> str:
    """An RFC 7523 §2.2 client assertion: the app authenticates as its `client_id`."""
    return sign_assertion(key, key.client_id, issuer_url, now, settings)


def grant_assertion(
    key: ServiceAccountKey, issuer_url: str, now: float, settings: AssertionSettings
) -> str:
    """An RFC 7523 §2.1 authorization grant: the service user asks for a token as `user_id`."""
    return sign_assertion(key, key.user_id, issuer_url, now, settings)
