"""Local JWT validation checks: the classic mistakes of APIs that verify JWTs themselves.

RFC 9068 §4 (https://www.rfc-editor.org/rfc/rfc9068#section-4) lists what a resource server
validating a JWT access token must check; RFC 8725 (JWT BCP) §2.1 and §3.1 the algorithm
attacks (``alg: none``, HS256 signed with the public key); RFC 7519 §4.1 the time claims;
RFC 7517 §5 the key set, which issuers rotate without notice. Each token here is refused with
401 ``invalid_token``; a 2xx is *fail-open*. The JWKS endpoint down: a token signed with a
cached key still passes, one whose key is unknown gets 503 (the API cannot know). A revoked JWT
stays accepted until it expires: the mechanism's trade-off, recorded with the time it stays
accepted, never a failure. These checks apply to the local-JWT column only.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from harness.checks.base import Check, CheckContext, Reply, Where
from harness.checks.expect import describe, expect_bearer_error, expect_status
from harness.model.matrix import Grant, Mechanism, TokenFormat, Variant
from harness.model.results import Level, Outcome, Status
from harness.model.skips import CheckSkipped, NotApplicable
from harness.targets.mock_keys import SigningKeys

FLOOD_REQUESTS = 50
FLOOD_MAX_FETCHES = 5
# How long a key change may take to reach the API: its refresh cooldown (jose's default 30 s).
KEY_CHANGE_DEADLINE_S = 35.0
POLL_S = 0.25
PAST_S = 3600.0
SHORT_LIFETIME_S = 60.0
LOCAL_JWT_ONLY = "a check of local JWT validation; this API introspects every token"


def _keys(ctx: CheckContext) -> SigningKeys:
    if ctx.target.mock is None:
        raise NotApplicable("needs the mock issuer's signing key, clock or JWKS endpoint")
    return ctx.target.mock.keys


def _bearer(token: str) -> str:
    return f"Bearer {token}"


def _refused(ctx: CheckContext, reply: Reply) -> Outcome:
    """401 invalid_token expected; a 2xx is fail-open."""
    outcome = expect_bearer_error(ctx, reply, 401, "invalid_token")
    opened = reply.status is not None and 200 <= reply.status < 300
    return dataclasses.replace(outcome, fail_open=True) if opened else outcome


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _header(token: str) -> dict[str, Any]:
    header: dict[str, Any] = jwt.get_unverified_header(token)
    return header


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _compact(header: dict[str, Any], claims: dict[str, Any]) -> bytes:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}".encode()


def _valid_jwt(ctx: CheckContext) -> str:
    token = ctx.token()
    if token.count(".") != 2:
        raise NotApplicable("the variant's token is not a JWT")
    return token


def opaque_token(ctx: CheckContext) -> Outcome:
    """An opaque access token (the same grant's, else the PAT): 401 invalid_token."""
    token = _opaque(ctx)
    return _refused(ctx, ctx.get(ctx.routes.private, _bearer(token)))


def _opaque(ctx: CheckContext) -> str:
    for grant in (ctx.grant, Grant.PAT):
        cell = dataclasses.replace(ctx.variant.cell, grant=grant)
        try:
            token = ctx.target.token(Variant(cell, TokenFormat.OPAQUE))
        except CheckSkipped:
            continue
        if token.access_token.count(".") != 2:
            return token.access_token
    raise NotApplicable("the issuer gave no opaque token (nor is a PAT configured)")


def alg_none(ctx: CheckContext) -> Outcome:
    """The valid token's claims, unsigned (``alg: none``, empty signature): 401."""
    token = _valid_jwt(ctx)
    header = {**_header(token), "alg": "none"}
    forged = _compact(header, _claims(token)).decode() + "."
    return _refused(ctx, ctx.get(ctx.routes.private, _bearer(forged)))


def _public_pem(ctx: CheckContext, kid: str) -> bytes:
    uri = ctx.target.issuer_calls.endpoint("jwks_uri")
    with httpx.Client(timeout=10.0) as http:
        keys = http.get(uri).json().get("keys", [])
    for jwk in keys:
        if isinstance(jwk, dict) and jwk.get("kid") == kid:
            public = jwt.PyJWK(jwk).key
            return bytes(
                public.public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
            )
    raise NotApplicable(f"the issuer's JWKS has no key {kid!r}")


def hs256_with_public_key(ctx: CheckContext) -> Outcome:
    """The valid token's claims, HS256-signed with the issuer's public key (PEM) as secret."""
    token = _valid_jwt(ctx)
    header = {**_header(token), "alg": "HS256"}
    signing_input = _compact(header, _claims(token))
    secret = _public_pem(ctx, str(header.get("kid")))
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    forged = f"{signing_input.decode()}.{_b64(signature)}"
    return _refused(ctx, ctx.get(ctx.routes.private, _bearer(forged)))


@cache
def _stranger_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def foreign_key_known_kid(ctx: CheckContext) -> Outcome:
    """The valid token's claims, signed by another RSA key under the issuer's ``kid``: 401."""
    token = _valid_jwt(ctx)
    forged = jwt.encode(_claims(token), _stranger_key(), algorithm="RS256", headers=_header(token))
    return _refused(ctx, ctx.get(ctx.routes.private, _bearer(forged)))


def _resigned(ctx: CheckContext, **changes: Any) -> str:
    """The valid token's claims with ``changes``, signed with the issuer's own key."""
    keys = _keys(ctx)
    return keys.sign({**_claims(_valid_jwt(ctx)), **changes})


def wrong_issuer(ctx: CheckContext) -> Outcome:
    """Signed by the issuer's key, but ``iss`` another issuer, or the issuer plus '/': 401."""
    issuer = ctx.target.issuer
    outcomes = [
        _refused(ctx, ctx.get(ctx.routes.private, _bearer(_resigned(ctx, iss=iss))))
        for iss in ("https://attacker.example", issuer + "/")
    ]
    return next((o for o in outcomes if o.status is Status.FAILED), outcomes[-1])


def wrong_audience(ctx: CheckContext) -> Outcome:
    """Signed by the issuer's key, ``aud`` another API only: 401."""
    forged = _resigned(ctx, aud=["another-api-" + secrets.token_hex(4)])
    return _refused(ctx, ctx.get(ctx.routes.private, _bearer(forged)))


def _issued_at(ctx: CheckContext, offset_s: float) -> str:
    with _keys(ctx).issuing_at(offset_s, SHORT_LIFETIME_S):
        return ctx.target.fresh_token(ctx.variant).access_token


def expired(ctx: CheckContext) -> Outcome:
    """A token the issuer issued an hour ago by its clock, valid for 60 s: 401."""
    token = _issued_at(ctx, -PAST_S)
    return _refused(ctx, ctx.get(ctx.routes.private, _bearer(token)))


def not_yet_valid(ctx: CheckContext) -> Outcome:
    """A token the issuer issues an hour ahead by its clock (``nbf`` in the future): 401."""
    token = _issued_at(ctx, PAST_S)
    return _refused(ctx, ctx.get(ctx.routes.private, _bearer(token)))


def id_token(ctx: CheckContext) -> Outcome:
    """An ID token of the issuer (right iss, aud, key) presented as an access token: 401."""
    token = _keys(ctx).id_token()
    return _refused(ctx, ctx.get(ctx.routes.private, _bearer(token)))


def _warm(ctx: CheckContext, token: str) -> Outcome | None:
    """Let the API fetch the keys with a valid token; a failed outcome if it refuses it."""
    reply = ctx.get(ctx.routes.private, _bearer(token))
    return None if reply.status == 200 else expect_status(ctx, reply, 200)


def unknown_kid_flood(ctx: CheckContext) -> Outcome:
    """Tokens with made-up kids cause at most a few JWKS fetches, not one each."""
    keys, token = _keys(ctx), _valid_jwt(ctx)
    if (refused := _warm(ctx, token)) is not None:
        return refused
    claims, header = _claims(token), _header(token)
    before = keys.jwks_calls
    statuses: set[int | None] = set()
    for _ in range(FLOOD_REQUESTS):
        forged = jwt.encode(
            claims, _stranger_key(), algorithm="RS256",
            headers={**header, "kid": "random-" + secrets.token_hex(8)},
        )  # fmt: skip
        statuses.add(_status(ctx, forged))
    fetched = keys.jwks_calls - before
    expected = f"at most {FLOOD_MAX_FETCHES} JWKS fetches for {FLOOD_REQUESTS} unknown kids"
    actual = f"{fetched} JWKS fetch(es); answers {sorted(s or 0 for s in statuses)}"
    opened = any(s is not None and 200 <= s < 300 for s in statuses)
    ok = fetched <= FLOOD_MAX_FETCHES and not opened
    return dataclasses.replace(
        ctx.outcome(Status.PASSED if ok else Status.FAILED, expected, actual), fail_open=opened
    )


def _status(ctx: CheckContext, token: str) -> int | None:
    """The API's status for ``token``, not recorded (many requests, one shape)."""
    try:
        url = ctx.api_url + ctx.routes.private
        return ctx.target.http.get(url, headers={"Authorization": _bearer(token)}).status_code
    except httpx.HTTPError:
        return None


def _poll_status(ctx: CheckContext, token: str, done: Callable[[int | None], bool]) -> float:
    """GET with ``token`` until ``done(status)`` or the deadline; the seconds waited."""
    started = time.monotonic()
    while not done(_status(ctx, token)):
        if time.monotonic() - started >= KEY_CHANGE_DEADLINE_S:
            break
        time.sleep(POLL_S)
    return time.monotonic() - started


def _poll(ctx: CheckContext, token: str, done: Callable[[int | None], bool]) -> tuple[Reply, float]:
    """Poll as `_poll_status`, then GET once more, recorded: the reply and the wait."""
    waited = _poll_status(ctx, token, done)
    return ctx.get(ctx.routes.private, _bearer(token)), waited


def _settle(ctx: CheckContext, token: str) -> None:
    """Wait until the API accepts ``token`` again, so later checks find it as before."""
    _poll_status(ctx, token, lambda status: status == 200)


def key_rotation(ctx: CheckContext) -> Outcome:
    """After the issuer rotates its key, new tokens are accepted without a restart, old ones too."""
    keys, old = _keys(ctx), _valid_jwt(ctx)
    if (refused := _warm(ctx, old)) is not None:
        return refused
    kid = keys.rotate()
    new = ctx.target.fresh_token(ctx.variant).access_token
    reply, waited = _poll(ctx, new, lambda status: status == 200)
    expected = (
        f"HTTP 200 for a token signed with the new key {kid} within {KEY_CHANGE_DEADLINE_S:g} s"
    )
    if reply.status != 200:
        return ctx.outcome(Status.FAILED, expected, describe(reply))
    still = ctx.get(ctx.routes.private, _bearer(old))
    if still.status != 200:
        return ctx.outcome(
            Status.FAILED, "HTTP 200 for a token of the old key, still published", describe(still)
        )
    return ctx.outcome(Status.PASSED, expected, f"HTTP 200 after {waited:.1f} s; old key too")


def jwks_down_cached_key(ctx: CheckContext) -> Outcome:
    """With the JWKS endpoint down, a token signed with a key the API has cached: 200."""
    keys, token = _keys(ctx), _valid_jwt(ctx)
    if (refused := _warm(ctx, token)) is not None:
        return refused
    with keys.jwks_down():
        return expect_status(ctx, ctx.get(ctx.routes.private, _bearer(token)), 200)


def jwks_down_unknown_key(ctx: CheckContext) -> Outcome:
    """With the JWKS endpoint down, a token signed with a key the API has not seen: 503."""
    keys, token = _keys(ctx), _valid_jwt(ctx)
    if (refused := _warm(ctx, token)) is not None:
        return refused
    kid = keys.rotate()
    new = ctx.target.fresh_token(ctx.variant).access_token
    with keys.jwks_down():
        # Within its refresh cooldown an API may still call the kid unknown (401); wait it out.
        reply, _ = _poll(ctx, new, lambda status: status != 401)
    _settle(ctx, new)
    expected = f"HTTP 503 for a token of the unseen key {kid} (never 200, never 401 for good)"
    opened = reply.status is not None and 200 <= reply.status < 300
    status = Status.PASSED if reply.status == 503 else Status.FAILED
    return dataclasses.replace(ctx.outcome(status, expected, describe(reply)), fail_open=opened)


def revoked_accepted(ctx: CheckContext) -> Outcome:
    """Observation: a revoked JWT is still accepted until it expires (how long is recorded)."""
    issued = ctx.target.revoked_token(ctx.variant)
    ctx.exchanges.extend(issued.exchanges)
    reply = ctx.get(ctx.routes.private, _bearer(issued.access_token))
    expected = "an observation: 200 (accepted until exp) or 401 (the API notices revocations)"
    if reply.status == 200:
        left = float(_claims(issued.access_token).get("exp", 0)) - time.time()
        detail = (
            f"Observation, not a failure: the revoked token was accepted and stays accepted for "
            f"about {max(0.0, left):.0f} s more, until its exp; local validation cannot see "
            "revocations. Keep access tokens short-lived, or introspect where that matters."
        )
        return ctx.outcome(Status.PASSED, expected, describe(reply), detail)
    if reply.status == 401:
        detail = "Observation: this API noticed the revocation (it asks the issuer somehow)."
        return ctx.outcome(Status.PASSED, expected, describe(reply), detail)
    return ctx.outcome(Status.FAILED, expected, describe(reply))


_LOCAL = frozenset({Mechanism.LOCAL_JWT})
_ONLY: dict[str, Any] = {"mechanisms": _LOCAL, "other_mechanisms_reason": LOCAL_JWT_ONLY}
_ALG = "RFC 8725 §2.1, §3.1; RFC 9068 §4"
CHECKS = (
    Check("RFC9068-4-opaque-token", "An opaque access token: 401 invalid_token (JWTs only)",
          "RFC 9068 §4; RFC 6750 §3.1", Level.MUST, Where.BOTH, opaque_token, **_ONLY),
    Check("RFC8725-3.1-alg-none", "The token unsigned (alg none): 401 invalid_token",
          _ALG, Level.MUST, Where.BOTH, alg_none, **_ONLY),
    Check("RFC8725-2.1-hs256-public-key",
          "The token HS256-signed with the issuer's public key as secret: 401 invalid_token",
          _ALG, Level.MUST, Where.BOTH, hs256_with_public_key, **_ONLY),
    Check("RFC7515-5.2-foreign-key-known-kid",
          "The token signed by another key under the issuer's kid: 401 invalid_token",
          "RFC 7515 §5.2; RFC 9068 §4", Level.MUST, Where.BOTH, foreign_key_known_kid, **_ONLY),
    Check("RFC9068-4-wrong-issuer",
          "Signed by the issuer, but another iss (or a trailing '/'): 401 invalid_token",
          "RFC 9068 §4; RFC 7519 §4.1.1", Level.MUST, Where.MOCK, wrong_issuer, **_ONLY),
    Check("RFC9068-4-wrong-audience",
          "Signed by the issuer for another API's aud: 401 invalid_token",
          "RFC 9068 §4; RFC 7519 §4.1.3", Level.MUST, Where.MOCK, wrong_audience, **_ONLY),
    Check("RFC7519-4.1.4-expired-jwt",
          "A token that expired by the issuer's clock (issued an hour ago): 401 invalid_token",
          "RFC 9068 §4; RFC 7519 §4.1.4", Level.MUST, Where.MOCK, expired, **_ONLY),
    Check("RFC7519-4.1.5-not-yet-valid",
          "A token not valid yet by the issuer's clock (nbf an hour ahead): 401 invalid_token",
          "RFC 7519 §4.1.5", Level.MUST, Where.MOCK, not_yet_valid, **_ONLY),
    Check("RFC9068-4-id-token", "An ID token presented as an access token: 401 invalid_token",
          "RFC 9068 §4; RFC 8725 §3.11", Level.MUST, Where.MOCK, id_token, **_ONLY),
    Check("RFC9068-4-revoked-jwt-accepted-until-exp",
          "Observation: a revoked JWT stays accepted until it expires (not a failure)",
          "RFC 9068 §4; RFC 7009 §2", Level.SHOULD, Where.BOTH, revoked_accepted, **_ONLY),
    Check("RFC7517-5-unknown-kid-flood",
          f"{FLOOD_REQUESTS} tokens with made-up kids: at most {FLOOD_MAX_FETCHES} JWKS fetches",
          "RFC 7517 §5; RFC 8725 §3.1", Level.SHOULD, Where.MOCK, unknown_kid_flood, **_ONLY),
    Check("RFC7517-5-key-rotation",
          "The issuer rotates its key: new tokens accepted without a restart, old ones too",
          "RFC 7517 §5; RFC 8414 §2", Level.MUST, Where.MOCK, key_rotation, **_ONLY),
    Check("RFC7517-5-jwks-down-cached-key",
          "JWKS endpoint down, token of a cached key: 200",
          "RFC 7517 §5", Level.SHOULD, Where.MOCK, jwks_down_cached_key, **_ONLY),
    Check("RFC9110-15.6.4-jwks-down-unknown-key",
          "JWKS endpoint down, token of a key the API has not seen: 503",
          "RFC 9110 §15.6.4; RFC 7517 §5", Level.MUST, Where.MOCK, jwks_down_unknown_key,
          **_ONLY),
)  # fmt: skip
