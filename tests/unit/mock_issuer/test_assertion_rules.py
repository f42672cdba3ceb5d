"""RFC 7523 assertion rules as ZITADEL applies them (spec §2.2), one row per rule."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import cache
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mock_issuer.assertion import (
    AssertionRejected,
    check_claims,
    unverified_issuer,
    verify_assertion,
)

ISSUER = "http://issuer.test"
NOW = 1_800_000_000.0
SUB = "111"
KID = "k1"


@cache
def _key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _claims(**overrides: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {"iss": SUB, "sub": SUB, "aud": ISSUER, "iat": NOW, "exp": NOW + 60}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(claims: dict[str, Any], *, key: str = "good", kid: str | None = KID) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(claims, _key(key), algorithm="RS256", headers=headers)


def _find(kid: str, iss: str) -> rsa.RSAPublicKey | None:
    return _key("good").public_key() if (kid, iss) == (KID, SUB) else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return head + "." + _b64(signature)


ACCEPTED = [
    pytest.param(_claims(), id="aud-string-equal-to-issuer"),
    pytest.param(_claims(aud=["other", ISSUER]), id="aud-array-containing-issuer"),
    pytest.param(_claims(exp=NOW + 1.5), id="exp-just-beyond-the-one-second-offset"),
    pytest.param(_claims(iat=NOW + 1), id="iat-within-the-one-second-offset"),
    pytest.param(_claims(iat=NOW - 3600), id="iat-exactly-one-hour-old"),
    pytest.param(_claims(exp=NOW + 86400 * 365), id="no-maximum-lifetime"),
    pytest.param(_claims(nbf=NOW + 999, jti=None), id="nbf-and-jti-not-checked"),
]

REJECTED = [
    pytest.param(_claims(iss=None), "'iss' is missing", id="RFC7523-3-iss-missing"),
    pytest.param(_claims(sub="222"), "identical", id="RFC7523-3-iss-differs-from-sub"),
    pytest.param(_claims(aud=None), "'aud' must contain", id="RFC7523-3-aud-missing"),
    pytest.param(_claims(aud="http://issuer.test/"), "'aud' must contain", id="aud-trailing-slash"),
    pytest.param(_claims(aud=["a", "b"]), "'aud' must contain", id="aud-array-without-issuer"),
    pytest.param(_claims(exp=None), "'exp' is missing", id="RFC7523-3-exp-missing"),
    pytest.param(_claims(exp=NOW - 1), "expired", id="RFC7523-3-exp-in-the-past"),
    pytest.param(_claims(exp=NOW + 1), "expired", id="exp-within-the-offset"),
    pytest.param(_claims(exp="later"), "not a number", id="exp-not-a-number"),
    pytest.param(_claims(exp=True), "not a number", id="exp-boolean"),
    pytest.param(_claims(iat=None), "'iat' is missing", id="iat-missing"),
    pytest.param(_claims(iat=NOW + 2), "in the future", id="iat-in-the-future"),
    pytest.param(_claims(iat=NOW - 3601), "one hour old", id="iat-older-than-one-hour"),
]


@pytest.mark.parametrize("claims", ACCEPTED)
def test_claims_that_zitadel_accepts_pass(claims: dict[str, Any]) -> None:
    assert check_claims(claims, issuer=ISSUER, now=NOW) == SUB


@pytest.mark.parametrize(("claims", "reason"), REJECTED)
def test_claims_that_break_a_rule_are_rejected_naming_the_rule(
    claims: dict[str, Any], reason: str
) -> None:
    with pytest.raises(AssertionRejected, match=reason):
        check_claims(claims, issuer=ISSUER, now=NOW)


def test_a_well_signed_assertion_verifies_and_returns_its_claims() -> None:
    claims = verify_assertion(_sign(_claims()), issuer=ISSUER, now=NOW, find_key=_find)
    assert claims["sub"] == SUB


def _hs256_with_public_key() -> str:
    public_pem = (
        _key("good")
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = {"alg": "HS256", "kid": KID, "typ": "JWT"}
    signing_input = (
        _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(_claims()).encode())
    ).encode()
    signature = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    return signing_input.decode() + "." + _b64(signature)


BAD_TOKENS = [
    pytest.param(lambda: _sign(_claims(), key="other"), "signature", id="signed-with-another-key"),
    pytest.param(lambda: _sign(_claims(), kid="unknown"), "no valid key", id="unknown-kid"),
    pytest.param(lambda: _sign(_claims(), kid=None), "no kid", id="kid-missing"),
    pytest.param(
        lambda: _unsigned({"alg": "none", "kid": KID}, _claims()), "not allowed", id="alg-none"
    ),
    pytest.param(_hs256_with_public_key, "not allowed", id="hs256-signed-with-the-public-key"),
    pytest.param(lambda: "not-a-jwt", "well-formed", id="garbage"),
    pytest.param(lambda: "a.b.c", "well-formed", id="three-garbage-segments"),
    pytest.param(
        lambda: _unsigned({"alg": "RS256", "kid": KID}, _claims(), b"\x00" * 256),
        "signature",
        id="rs256-with-a-zero-signature",
    ),
]


@pytest.mark.parametrize(("make", "reason"), BAD_TOKENS)
def test_assertions_with_a_bad_header_or_signature_are_rejected(make: Any, reason: str) -> None:
    with pytest.raises(AssertionRejected, match=reason):
        verify_assertion(make(), issuer=ISSUER, now=NOW, find_key=_find)


def test_claim_rules_are_checked_before_the_key_is_looked_up() -> None:
    looked_up: list[str] = []

    def find(kid: str, iss: str) -> rsa.RSAPublicKey | None:
        looked_up.append(kid)
        return _find(kid, iss)

    with pytest.raises(AssertionRejected, match="expired"):
        verify_assertion(_sign(_claims(exp=NOW - 10)), issuer=ISSUER, now=NOW, find_key=find)
    assert looked_up == []


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        pytest.param(_sign(_claims()), SUB, id="iss-of-a-jwt"),
        pytest.param("garbage", None, id="not-a-jwt"),
        pytest.param(_sign(_claims(iss=None)), None, id="jwt-without-iss"),
        pytest.param(_unsigned({"alg": "RS256"}, _claims(iss=42)), None, id="iss-not-a-string"),
    ],
)
def test_unverified_issuer_reads_iss_without_trusting_it(token: str, expected: str | None) -> None:
    assert unverified_issuer(token) == expected
