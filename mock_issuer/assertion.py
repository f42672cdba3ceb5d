"""Verifying RFC 7523 JWT assertions, for the jwt-bearer grant (§2.1) and client auth (§2.2).

The rules are ZITADEL's (zitadel/oidc ``VerifyJWTAssertion``, spec §2.2):

* header ``alg`` from an allowlist (RS256 here; ``none`` and HMAC never), ``kid`` required;
* ``iss`` == ``sub``; the key is found by ``kid`` and the *unverified* ``iss``;
* ``aud`` (string or array) contains the issuer URL exactly;
* ``exp`` required and later than now + 1 s (no other leeway, no maximum lifetime);
* ``iat`` required, not after now + 1 s and not older than one hour;
* ``nbf`` and ``jti`` are not checked.

Claims are checked before the signature, as ZITADEL does; both must pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.types import Options

from mock_issuer.errors import echo

ALLOWED_ALGORITHMS = ("RS256",)
MAX_IAT_AGE = 3600.0
OFFSET = 1.0

KeyLookup = Callable[[str, str], RSAPublicKey | None]

_NO_CLAIM_CHECKS: Options = {
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


class AssertionRejected(Exception):
    """An assertion broke a rule; the message names the rule, never the token."""


def unverified_claims(assertion: str) -> dict[str, Any]:
    """The payload without any verification (to find the key), or raise AssertionRejected."""
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise AssertionRejected("assertion is not a well-formed JWT") from exc
    if not isinstance(claims, dict):
        raise AssertionRejected("assertion payload is not a JSON object")
    return claims


def unverified_issuer(assertion: str) -> str | None:
    """The assertion's ``iss`` if it parses as a JWT with a string ``iss``, else ``None``."""
    try:
        iss = unverified_claims(assertion).get("iss")
    except AssertionRejected:
        return None
    return iss if isinstance(iss, str) and iss else None


def _header(assertion: str) -> tuple[str, str]:
    try:
        header = jwt.get_unverified_header(assertion)
    except jwt.PyJWTError as exc:
        raise AssertionRejected("assertion is not a well-formed JWT") from exc
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in ALLOWED_ALGORITHMS:
        raise AssertionRejected(f"assertion alg {echo(alg)} is not allowed; sign with RS256")
    if not isinstance(kid, str) or not kid:
        raise AssertionRejected("assertion header has no kid; set kid to the key file's keyId")
    return alg, kid


def _number(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AssertionRejected(f"assertion claim '{name}' is missing or not a number")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise AssertionRejected(f"assertion claim '{name}' is out of range") from None
    if not math.isfinite(number):
        raise AssertionRejected(f"assertion claim '{name}' is not a finite number")
    return number


def check_claims(claims: dict[str, Any], *, issuer: str, now: float) -> str:
    """Apply the claim rules above; return the subject (``iss`` == ``sub``)."""
    iss, sub = claims.get("iss"), claims.get("sub")
    if not isinstance(iss, str) or not iss:
        raise AssertionRejected("assertion claim 'iss' is missing")
    if iss != sub:
        raise AssertionRejected("assertion 'iss' and 'sub' must be identical (no delegation)")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if issuer not in audiences:
        raise AssertionRejected(f"assertion 'aud' must contain the issuer {issuer!r}")
    if not now + OFFSET < _number(claims, "exp"):
        raise AssertionRejected("assertion has expired ('exp' is not in the future)")
    iat = _number(claims, "iat")
    if iat > now + OFFSET:
        raise AssertionRejected("assertion 'iat' is in the future")
    if iat < now - MAX_IAT_AGE:
        raise AssertionRejected("assertion 'iat' is more than one hour old")
    return iss


def verify_assertion(
    assertion: str, *, issuer: str, now: float, find_key: KeyLookup
) -> dict[str, Any]:
    """Verify header, claims and signature; return the claims or raise AssertionRejected."""
    _, kid = _header(assertion)
    claims = unverified_claims(assertion)
    subject = check_claims(claims, issuer=issuer, now=now)
    key = find_key(kid, subject)
    if key is None:
        raise AssertionRejected(
            f"no valid key with kid {echo(kid)} is registered for {echo(subject)}"
        )
    try:
        jwt.decode(assertion, key, algorithms=list(ALLOWED_ALGORITHMS), options=_NO_CLAIM_CHECKS)
    except jwt.PyJWTError as exc:
        raise AssertionRejected(
            f"assertion signature does not verify with key {echo(kid)}"
        ) from exc
    return claims
