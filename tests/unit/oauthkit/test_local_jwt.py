"""Local JWT validation (RFC 9068 §4, RFC 8725): each rule refuses what it must (injected clock)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from oauthkit import (
    ConfigError,
    Discovery,
    InvalidToken,
    JwksCache,
    JwtRules,
    LocalJwtValidator,
    TokenPolicy,
)
from oauthkit.local_jwt import TypPolicy

from .fakes import ISSUER, FakeIssuer, json_response

pytestmark = pytest.mark.anyio
NOW = 1_760_000_000.0
PROJECT = "p1"
KID = "k1"
PROJECT_CLAIM = f"urn:zitadel:iam:org:project:{PROJECT}:roles"
GENERIC = "urn:zitadel:iam:org:project:roles"


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def issuer_with(key: rsa.RSAPrivateKey) -> FakeIssuer:
    fake = FakeIssuer()
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    fake.discovery = lambda r: json_response(
        200,
        {"issuer": ISSUER, "token_endpoint": f"{ISSUER}/t", "jwks_uri": f"{ISSUER}/keys"},
    )
    fake.routes["/keys"] = lambda r: json_response(200, {"keys": [{**jwk, "kid": KID}]})
    return fake


def claims(**changes: Any) -> dict[str, Any]:
    base = {
        "iss": ISSUER, "sub": "user-1", "aud": [PROJECT], "exp": NOW + 600, "iat": NOW,
        "nbf": NOW, "client_id": "svc", "jti": "V2_1-at_2",
        GENERIC: {"read:messages": {"org": "org.localhost"}},
    }  # fmt: skip
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def sign(key: rsa.RSAPrivateKey, body: dict[str, Any], **header: Any) -> str:
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": KID, **header})


async def check(
    fake: FakeIssuer, token: str, *, typ: TypPolicy = "default", now: float = NOW
) -> Any:
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        keys = JwksCache(http, Discovery(http, ISSUER), clock=lambda: now)
        rules = JwtRules(typ=typ, project_roles_claim=PROJECT_CLAIM)
        validator = LocalJwtValidator(ISSUER, keys, TokenPolicy((PROJECT, "api-client")), rules)
        return await validator.validate(token, now)


async def refused(fake: FakeIssuer, token: str, **kwargs: Any) -> InvalidToken:
    with pytest.raises(InvalidToken) as caught:
        await check(fake, token, **kwargs)
    return caught.value


async def test_a_good_token_gives_its_subject_and_roles(rsa_key: rsa.RSAPrivateKey) -> None:
    principal = await check(issuer_with(rsa_key), sign(rsa_key, claims()))
    assert principal.sub == "user-1" and principal.roles == {"read:messages"}


async def test_the_projects_own_roles_claim_wins_over_the_generic_one(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    body = claims(**{PROJECT_CLAIM: {"write:messages": {}}})
    principal = await check(issuer_with(rsa_key), sign(rsa_key, body))
    assert principal.roles == {"write:messages"}


@pytest.mark.parametrize("token", ["opaque-pat-value", "a.b", "a.b.c.d.e"])
async def test_a_token_that_is_not_a_jwt_is_told_only_jwts_are_accepted(
    rsa_key: rsa.RSAPrivateKey, token: str
) -> None:
    error = await refused(issuer_with(rsa_key), token)
    assert "accepts only JWT access tokens" in error.description


def _tampered(token: str, part: int, change: str) -> str:
    parts = token.split(".")
    parts[part] = {
        "pad": parts[part] + "==",
        "one-pad": parts[part] + "=",
        "bits": _bits(parts[part]),
    }[change]
    return ".".join(parts)


def _bits(part: str) -> str:
    """The part with its last character's unused low bits set: same bytes, not canonical."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    unused = {2: 4, 3: 2}[len(part) % 4]  # bits of the last character that carry no data
    last = alphabet.index(part[-1]) | ((1 << unused) - 1)
    return part[:-1] + alphabet[last]


@pytest.mark.parametrize("part", [0, 1, 2], ids=["header", "payload", "signature"])
@pytest.mark.parametrize("change", ["pad", "one-pad", "bits"])
async def test_rfc7515_2_a_jwt_not_in_canonical_base64url_is_refused(
    rsa_key: rsa.RSAPrivateKey, part: int, change: str
) -> None:
    # Header and payload lengthened until the part has unused bits to set (a length not 0 mod 4).
    tokens = (sign(rsa_key, claims(jti="j" * (n + 1)), x="x" * n) for n in range(4))
    token = next(t for t in tokens if len(t.split(".")[part]) % 4)
    tampered = _tampered(token, part, change)
    assert tampered != token
    error = await refused(issuer_with(rsa_key), tampered)
    assert "not canonical base64url" in str(error)
    assert error.description == "The access token is not a JWT in its compact serialisation."


def _unsigned(body: dict[str, Any], alg: str = "none") -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': alg, 'typ': 'JWT', 'kid': KID})}.{part(body)}."


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
async def test_alg_none_is_refused_before_any_key_is_fetched(
    rsa_key: rsa.RSAPrivateKey, alg: str
) -> None:
    fake = issuer_with(rsa_key)
    error = await refused(fake, _unsigned(claims(), alg))
    assert "not among the accepted" in str(error) and fake.requests == []


async def test_hs256_signed_with_the_public_key_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    public_pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT","kid":"k1"}').rstrip(b"=")
    payload = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=")
    signature = hmac.new(public_pem, header + b"." + payload, hashlib.sha256).digest()
    token = b".".join([header, payload, base64.urlsafe_b64encode(signature).rstrip(b"=")])
    error = await refused(issuer_with(rsa_key), token.decode())
    assert "HS256" in str(error)


async def test_a_token_signed_by_another_key_under_a_known_kid_is_refused(
    rsa_key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey
) -> None:
    error = await refused(issuer_with(rsa_key), sign(other_key, claims()))
    assert "signature" in error.description


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"iss": ISSUER + "/"}, "another issuer"),
        ({"iss": "https://evil.test"}, "another issuer"),
        ({"aud": ["other-project"]}, "not issued for this API"),
        ({"aud": None}, ""),
        ({"exp": NOW - 31}, "expired"),
        ({"nbf": NOW + 31}, "not valid yet"),
        ({"exp": None}, ""),
        ({"client_id": None, "jti": None, "azp": "svc", "auth_time": NOW}, "ID token"),
    ],
)
async def test_claims_that_do_not_fit_are_refused(
    rsa_key: rsa.RSAPrivateKey, changes: dict[str, Any], said: str
) -> None:
    error = await refused(issuer_with(rsa_key), sign(rsa_key, claims(**changes)))
    assert said in error.description


async def test_exp_and_nbf_have_a_small_leeway(rsa_key: rsa.RSAPrivateKey) -> None:
    token = sign(rsa_key, claims(exp=NOW - 29, nbf=NOW + 29))
    assert (await check(issuer_with(rsa_key), token)).sub == "user-1"


async def test_the_api_client_id_is_an_accepted_audience_too(rsa_key: rsa.RSAPrivateKey) -> None:
    token = sign(rsa_key, claims(aud="api-client"))
    assert (await check(issuer_with(rsa_key), token)).sub == "user-1"


@pytest.mark.parametrize(
    ("typ", "policy", "accepted"),
    [
        ("JWT", "default", True),
        ("at+jwt", "default", True),
        ("application/at+jwt", "strict", True),
        ("at+jwt", "strict", True),
        ("JWT", "strict", False),
        ("JOSE", "default", False),
    ],
)
async def test_the_typ_policy(
    rsa_key: rsa.RSAPrivateKey, typ: str, policy: TypPolicy, accepted: bool
) -> None:
    token = sign(rsa_key, claims(), typ=typ)
    if accepted:
        assert (await check(issuer_with(rsa_key), token, typ=policy)).sub == "user-1"
    else:
        await refused(issuer_with(rsa_key), token, typ=policy)


async def test_rfc7515_4_1_11_an_unknown_crit_extension_is_refused_as_such(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    token = sign(rsa_key, claims(), crit=["urn:example:unknown"], **{"urn:example:unknown": 1})
    error = await refused(issuer_with(rsa_key), token)
    assert "Unsupported critical extension" in str(error)
    assert error.description == "The JWT's header is not accepted."


async def test_a_token_without_kid_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    token = jwt.encode(claims(), rsa_key, algorithm="RS256")
    assert "kid" in str(await refused(issuer_with(rsa_key), token))


@pytest.mark.parametrize("algorithms", [("none",), ("HS256",), ("RS256", "HS512"), ()])
def test_unsafe_algorithms_cannot_be_configured(algorithms: tuple[str, ...]) -> None:
    with pytest.raises(ConfigError, match="JWT_ALGORITHMS"):
        JwtRules(algorithms=algorithms)
