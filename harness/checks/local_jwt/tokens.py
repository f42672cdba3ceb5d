"""What the local-JWT checks share: the mock's signing keys, forged and re-signed tokens.

Tokens are taken apart and put together with PyJWT and the standard library's base64url
(RFC 7515 §2: without padding), so a forgery differs from the issuer's token only where meant.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import threading
from functools import cache
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from harness.checks.base import CheckContext, Reply
from harness.checks.expect import expect_bearer_error
from harness.model.results import Outcome
from harness.model.skips import NotApplicable
from harness.targets.issuer_http import tls_context
from harness.targets.mock_keys import SigningKeys

FLOOD_REQUESTS = 50
FLOOD_MAX_FETCHES = 5
# How long a key change may take to reach an API that states no JWKS cooldown (jose's default
# 30 s, and a margin); one that states it gets that and KEY_CHANGE_MARGIN_S (a poll or two, and
# the second some libraries sleep before a refresh).
KEY_CHANGE_DEADLINE_S = 35.0
KEY_CHANGE_MARGIN_S = 2.0
POLL_S = 0.25
PAST_S = 3600.0
SHORT_LIFETIME_S = 60.0
LOCAL_JWT_ONLY = "a check of local JWT validation; this API introspects every token"


def signing_keys(ctx: CheckContext) -> SigningKeys:
    if ctx.target.mock is None:
        raise NotApplicable("needs the mock issuer's signing key, clock or JWKS endpoint")
    return ctx.target.mock.keys


def key_deadline(ctx: CheckContext) -> float:
    """How long a key change may take to reach the cell's API (its stated cooldown, a margin)."""
    waits = ctx.target.waits(ctx.variant.cell.mechanism)
    return waits.key_deadline(KEY_CHANGE_DEADLINE_S, KEY_CHANGE_MARGIN_S)


def bearer(token: str) -> str:
    return f"Bearer {token}"


def refused(ctx: CheckContext, reply: Reply) -> Outcome:
    """401 invalid_token expected; a 2xx is fail-open."""
    outcome = expect_bearer_error(ctx, reply, 401, "invalid_token")
    opened = reply.status is not None and 200 <= reply.status < 300
    return dataclasses.replace(outcome, fail_open=True) if opened else outcome


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def header_of(token: str) -> dict[str, Any]:
    header: dict[str, Any] = jwt.get_unverified_header(token)
    return header


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(header: dict[str, Any], claims: dict[str, Any]) -> bytes:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}".encode()


def valid_jwt(ctx: CheckContext) -> str:
    token = ctx.token()
    if token.count(".") != 2:
        raise NotApplicable("the variant's token is not a JWT")
    return token


def issuer_jwks(ctx: CheckContext) -> list[dict[str, Any]]:
    """The keys the issuer publishes now (its JWKS, RFC 7517 §5), as JWK objects: the mock's
    own, read without a request (so the key-set checks beside this one count the API's fetches
    alone), else fetched."""
    if ctx.target.mock is not None:
        return ctx.target.mock.keys.published_jwks()
    uri = ctx.target.issuer_calls.endpoint("jwks_uri")
    with httpx.Client(timeout=10.0, verify=tls_context()) as http:
        keys = http.get(uri).json().get("keys", [])
    return [jwk for jwk in keys if isinstance(jwk, dict)] if isinstance(keys, list) else []


def public_pem(ctx: CheckContext, kid: str) -> bytes:
    for jwk in issuer_jwks(ctx):
        if jwk.get("kid") == kid:
            public = jwt.PyJWK(jwk).key
            return bytes(
                public.public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
            )
    raise NotApplicable(f"the issuer's JWKS has no key {kid!r}")


_STRANGER = threading.Lock()


def stranger_key() -> rsa.RSAPrivateKey:
    """The attacker's key, made once: checks side by side ask for it at the same moment (a
    cache alone let each make one, 0.1-0.2 s of held GIL apiece)."""
    with _STRANGER:
        return _stranger_key()


@cache
def _stranger_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def resigned(ctx: CheckContext, **changes: Any) -> str:
    """The valid token's claims with ``changes``, signed with the issuer's own key."""
    keys = signing_keys(ctx)
    return keys.sign({**claims_of(valid_jwt(ctx)), **changes})
