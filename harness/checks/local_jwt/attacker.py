"""What the JWS forgeries are made of: the attacker's key, its JWK and its certificate.

The attacker's key is `tokens.stranger_key` (RSA 2048, made at run time). Its certificate is
self-signed, and names the canary as where its issuer's certificate and its revocation list
are (RFC 5280 §4.2.2.1 Authority Information Access, §4.2.1.13 CRL distribution points), so
a validator that builds or checks a chain from a token's ``x5c`` fetches from the canary.
"""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from harness.checks.local_jwt.canary import CERT_PATH, CRL_PATH, ISSUER_CERT_PATH, JWKS_PATH
from harness.checks.local_jwt.tokens import claims_of, header_of, stranger_key

_DAY = datetime.timedelta(days=1)


def stranger_jwk(kid: object) -> dict[str, Any]:
    """The attacker's public key as a JWK, under ``kid`` (the issuer's, to look like it)."""
    jwk: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(
        stranger_key().public_key(), as_dict=True
    )
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


def signed_by_stranger(token: str, extra_header: dict[str, Any]) -> str:
    """The valid token's claims and header plus ``extra_header``, signed by the attacker."""
    header = {**header_of(token), **extra_header}
    return jwt.encode(claims_of(token), stranger_key(), algorithm="RS256", headers=header)


def stranger_certificate(canary_url: str) -> x509.Certificate:
    """A self-signed certificate of the attacker's key, naming the canary for its issuer."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "harness attacker")])
    now = datetime.datetime.now(datetime.UTC)
    issuers = x509.AccessDescription(
        AuthorityInformationAccessOID.CA_ISSUERS,
        x509.UniformResourceIdentifier(canary_url + ISSUER_CERT_PATH),
    )
    crl = x509.DistributionPoint(
        [x509.UniformResourceIdentifier(canary_url + CRL_PATH)], None, None, None
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(stranger_key().public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _DAY)
        .not_valid_after(now + _DAY)
        .add_extension(x509.AuthorityInformationAccess([issuers]), critical=False)
        .add_extension(x509.CRLDistributionPoints([crl]), critical=False)
        .sign(stranger_key(), hashes.SHA256())
    )


def x5c_value(certificate: x509.Certificate) -> list[str]:
    """``x5c``: base64 (not base64url) DER certificates, RFC 7515 §4.1.6."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return [base64.b64encode(der).decode()]


def canary_files(kid: object, certificate: x509.Certificate) -> dict[str, tuple[str, bytes]]:
    """What the canary serves: the attacker's key set, its certificate (PEM, DER)."""
    jwks = json.dumps({"keys": [stranger_jwk(kid)]}).encode()
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    der = certificate.public_bytes(serialization.Encoding.DER)
    return {
        JWKS_PATH: ("application/jwk-set+json", jwks),
        CERT_PATH: ("application/pem-certificate-chain", pem),
        ISSUER_CERT_PATH: ("application/pkix-cert", der),
    }
