"""Forged, re-signed and mistimed tokens: each is refused with 401 ``invalid_token``.

RFC 8725 §2.1, §3.1 (``alg: none``, HS256 with the public key), RFC 7515 §5.2 (another key
under a known ``kid``), RFC 7515 §2 and §7.1 (padding: a JWS's base64url has none), RFC 9068
§4 (issuer, audience, an ID token as access token), RFC 7519 §4.1.4-5 (``exp``, ``nbf`` by the
issuer's clock). A 2xx is *fail-open*. A revoked JWT stays
accepted until it expires: recorded with how long, never a failure.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
import time

import jwt

from harness.checks.base import CheckContext
from harness.checks.expect import describe
from harness.checks.local_jwt.tokens import (
    PAST_S,
    SHORT_LIFETIME_S,
    b64,
    bearer,
    claims_of,
    compact,
    header_of,
    public_pem,
    refused,
    resigned,
    signing_keys,
    stranger_key,
    valid_jwt,
)
from harness.model.matrix import Grant, TokenFormat, Variant
from harness.model.results import Outcome, Status
from harness.model.skips import CheckSkipped, NotApplicable


def opaque_token(ctx: CheckContext) -> Outcome:
    """An opaque access token (the same grant's, else the PAT): 401 invalid_token."""
    token = _opaque(ctx)
    return refused(ctx, ctx.call(ctx.routes.private, bearer(token)))


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
    token = valid_jwt(ctx)
    header = {**header_of(token), "alg": "none"}
    forged = compact(header, claims_of(token)).decode() + "."
    return refused(ctx, ctx.call(ctx.routes.private, bearer(forged)))


def padded(ctx: CheckContext) -> Outcome:
    """The valid token with base64 padding (``==``) appended: not compact, so 401."""
    token = valid_jwt(ctx) + "=="
    return refused(ctx, ctx.call(ctx.routes.private, bearer(token)))


def hs256_with_public_key(ctx: CheckContext) -> Outcome:
    """The valid token's claims, HS256-signed with the issuer's public key (PEM) as secret."""
    token = valid_jwt(ctx)
    header = {**header_of(token), "alg": "HS256"}
    signing_input = compact(header, claims_of(token))
    secret = public_pem(ctx, str(header.get("kid")))
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    forged = f"{signing_input.decode()}.{b64(signature)}"
    return refused(ctx, ctx.call(ctx.routes.private, bearer(forged)))


def foreign_key_known_kid(ctx: CheckContext) -> Outcome:
    """The valid token's claims, signed by another RSA key under the issuer's ``kid``: 401."""
    token = valid_jwt(ctx)
    forged = jwt.encode(
        claims_of(token), stranger_key(), algorithm="RS256", headers=header_of(token)
    )
    return refused(ctx, ctx.call(ctx.routes.private, bearer(forged)))


def wrong_issuer(ctx: CheckContext) -> Outcome:
    """Signed by the issuer's key, but ``iss`` another issuer, or the issuer plus '/': 401."""
    issuer = ctx.target.issuer
    outcomes = [
        refused(ctx, ctx.call(ctx.routes.private, bearer(resigned(ctx, iss=iss))))
        for iss in ("https://attacker.example", issuer + "/")
    ]
    return next((o for o in outcomes if o.status is Status.FAILED), outcomes[-1])


def wrong_audience(ctx: CheckContext) -> Outcome:
    """Signed by the issuer's key, ``aud`` another API only: 401."""
    forged = resigned(ctx, aud=["another-api-" + secrets.token_hex(4)])
    return refused(ctx, ctx.call(ctx.routes.private, bearer(forged)))


def _issued_at(ctx: CheckContext, offset_s: float) -> str:
    with signing_keys(ctx).issuing_at(offset_s, SHORT_LIFETIME_S):
        return ctx.target.fresh_token(ctx.variant).access_token


def expired(ctx: CheckContext) -> Outcome:
    """A token the issuer issued an hour ago by its clock, valid for 60 s: 401."""
    token = _issued_at(ctx, -PAST_S)
    return refused(ctx, ctx.call(ctx.routes.private, bearer(token)))


def not_yet_valid(ctx: CheckContext) -> Outcome:
    """A token the issuer issues an hour ahead by its clock (``nbf`` in the future): 401."""
    token = _issued_at(ctx, PAST_S)
    return refused(ctx, ctx.call(ctx.routes.private, bearer(token)))


def id_token(ctx: CheckContext) -> Outcome:
    """An ID token of the issuer (right iss, aud, key) presented as an access token: 401."""
    token = signing_keys(ctx).id_token()
    return refused(ctx, ctx.call(ctx.routes.private, bearer(token)))


def revoked_accepted(ctx: CheckContext) -> Outcome:
    """Observation: a revoked JWT is still accepted until it expires (how long is recorded)."""
    issued = ctx.target.revoked_token(ctx.variant)
    ctx.exchanges.extend(issued.exchanges)
    reply = ctx.call(ctx.routes.private, bearer(issued.access_token))
    expected = "an observation: 200 (accepted until exp) or 401 (the API notices revocations)"
    if reply.status == 200:
        left = float(claims_of(issued.access_token).get("exp", 0)) - time.time()
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
