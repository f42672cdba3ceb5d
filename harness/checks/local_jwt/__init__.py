"""Local JWT validation checks: the classic mistakes of APIs that verify JWTs themselves.

RFC 9068 §4 (https://www.rfc-editor.org/rfc/rfc9068#section-4) lists what a resource server
validating a JWT access token must check; RFC 8725 (JWT BCP) §2.1 and §3.1 the algorithm
attacks (``alg: none``, HS256 signed with the public key); RFC 7519 §4.1 the time claims;
RFC 7517 §5 the key set, which issuers rotate without notice. Each token here is refused with
401 ``invalid_token``; a 2xx is *fail-open*. The JWKS endpoint down: a token signed with a
cached key still passes, one whose key is unknown gets 503 (the API cannot know; a 401 for good
fails at SHOULD). A revoked JWT stays accepted until it expires: the mechanism's trade-off,
recorded with the time it stays accepted, never a failure. These checks apply to the local-JWT
column only.

The checks are in ``forgery.py`` (tokens to refuse), ``jws.py`` (the JWS forgery pack of
RFC 7515 and RFC 8725: keys the token brings or names, ``crit``, empty and psychic signatures,
``typ``) and ``key_set.py`` (the JWKS over time); ``tokens.py``, ``attacker.py`` and
``canary.py`` make the tokens and serve what their URLs name. ``CHECKS`` below is a data table.
"""

from __future__ import annotations

from typing import Any

from harness.checks.base import Check, Sharing, Where
from harness.checks.local_jwt.forgery import (
    alg_none,
    expired,
    foreign_key_known_kid,
    hs256_with_public_key,
    id_token,
    not_yet_valid,
    opaque_token,
    padded,
    revoked_accepted,
    wrong_audience,
    wrong_issuer,
)
from harness.checks.local_jwt.jws import (
    embedded_jwk,
    empty_signature,
    hs256_empty_key,
    jku_canary,
    payload_changed,
    psychic_signature,
    typ_not_at_jwt,
    unknown_crit,
    x5c_canary,
    x5u_canary,
)
from harness.checks.local_jwt.key_set import (
    jwks_down_cached_key,
    jwks_down_unknown_key,
    key_rotation,
    unknown_kid_flood,
)
from harness.checks.local_jwt.tokens import FLOOD_MAX_FETCHES, FLOOD_REQUESTS, LOCAL_JWT_ONLY
from harness.model.matrix import Mechanism
from harness.model.results import Level

_LOCAL = frozenset({Mechanism.LOCAL_JWT})
_ONLY: dict[str, Any] = {"mechanisms": _LOCAL, "other_mechanisms_reason": LOCAL_JWT_ONLY}
JWKS_DOWN = "the harness takes the issuer's JWKS endpoint down on purpose"
# The issuer's clock moved while a token is issued, or its JWKS endpoint down, or every key-set
# fetch counted: nothing runs beside these (``harness/run/lanes.py``).
_ALONE: dict[str, Any] = {**_ONLY, "sharing": Sharing.ALONE}
_OUTAGE: dict[str, Any] = {**_ONLY, "sharing": Sharing.OUTAGE}
_WAITS: dict[str, Any] = {**_ONLY, "waits": True}
_ALG = "RFC 8725 §2.1, §3.1; RFC 9068 §4"
CHECKS = (
    Check("RFC9068-4-opaque-token", "An opaque access token: 401 invalid_token (JWTs only)",
          "RFC 9068 §4; RFC 6750 §3.1", Level.MUST, Where.BOTH, opaque_token, **_ONLY),
    Check("RFC8725-3.1-alg-none", "The token unsigned (alg none): 401 invalid_token",
          _ALG, Level.MUST, Where.BOTH, alg_none, **_ONLY),
    Check("RFC7515-2-padded-jwt",
          "The valid token with '==' appended (base64url padding): 401 invalid_token",
          "RFC 7515 §2, §7.1; RFC 7519 §7.2", Level.MUST, Where.BOTH, padded, **_ONLY),
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
          "RFC 9068 §4; RFC 7519 §4.1.4", Level.MUST, Where.MOCK, expired, **_ALONE),
    Check("RFC7519-4.1.5-not-yet-valid",
          "A token not valid yet by the issuer's clock (nbf an hour ahead): 401 invalid_token",
          "RFC 7519 §4.1.5", Level.MUST, Where.MOCK, not_yet_valid, **_ALONE),
    Check("RFC9068-4-id-token", "An ID token presented as an access token: 401 invalid_token",
          "RFC 9068 §4; RFC 8725 §3.11", Level.MUST, Where.MOCK, id_token, **_ONLY),
    Check("RFC7515-4.1.3-embedded-jwk",
          "Signed by the attacker, whose public key is in the jwk header: 401 invalid_token",
          "RFC 7515 §4.1.3; RFC 8725 §3.10", Level.MUST, Where.BOTH, embedded_jwk, **_ONLY),
    Check("RFC7515-4.1.2-jku-canary",
          "Signed by the attacker, jku naming a key set at the canary: 401, nothing fetched",
          "RFC 7515 §4.1.2; RFC 8725 §3.10", Level.MUST, Where.BOTH, jku_canary, **_WAITS),
    Check("RFC7515-4.1.5-x5u-canary",
          "Signed by the attacker, x5u naming a certificate at the canary: 401, nothing fetched",
          "RFC 7515 §4.1.5; RFC 8725 §3.10", Level.MUST, Where.BOTH, x5u_canary, **_WAITS),
    Check("RFC7515-4.1.6-x5c-canary",
          "Signed by the attacker, its certificate in x5c (issuer at the canary): 401, no fetch",
          "RFC 7515 §4.1.6; RFC 8725 §3.10", Level.MUST, Where.BOTH, x5c_canary, **_WAITS),
    Check("RFC7515-4.1.11-unknown-crit",
          "Signed by the issuer, with a crit extension nobody understands: 401 invalid_token",
          "RFC 7515 §4.1.11", Level.MUST, Where.MOCK, unknown_crit, **_ONLY),
    Check("RFC7515-5.2-empty-signature",
          "The valid token's header and claims with an empty signature: 401 invalid_token",
          "RFC 7515 §5.2; RFC 8725 §3.3", Level.MUST, Where.BOTH, empty_signature, **_ONLY),
    Check("RFC8725-3.5-hs256-empty-key",
          "The valid token's claims, HS256 with an empty key: 401 invalid_token",
          "RFC 8725 §3.1, §3.5", Level.MUST, Where.BOTH, hs256_empty_key, **_ONLY),
    Check("RFC7515-5.2-payload-changed",
          "The claims changed under the valid token's own signature: 401 invalid_token",
          "RFC 7515 §5.2", Level.MUST, Where.BOTH, payload_changed, **_ONLY),
    Check("RFC7518-3.4-psychic-signature",
          "ES256 with r = s = 0 under the issuer's EC key (CVE-2022-21449): 401 invalid_token",
          "RFC 7518 §3.4; RFC 8725 §3.4", Level.MUST, Where.BOTH, psychic_signature, **_ONLY),
    Check("RFC9068-4-typ-not-at-jwt",
          "Signed by the issuer, typ another kind of JWT (or JWT where it issues at+jwt): 401",
          "RFC 9068 §2.1, §4; RFC 8725 §3.11", Level.MUST, Where.MOCK, typ_not_at_jwt, **_ONLY),
    Check("RFC9068-4-revoked-jwt-accepted-until-exp",
          "Observation: a revoked JWT stays accepted until it expires (not a failure)",
          "RFC 9068 §4; RFC 7009 §2", Level.SHOULD, Where.BOTH, revoked_accepted, **_ONLY),
    Check("RFC7517-5-unknown-kid-flood",
          f"{FLOOD_REQUESTS} tokens with made-up kids: at most {FLOOD_MAX_FETCHES} JWKS fetches",
          "RFC 7517 §5; RFC 8725 §3.1", Level.SHOULD, Where.MOCK, unknown_kid_flood,
          **_ALONE, waits=True),
    Check("RFC7517-5-key-rotation",
          "The issuer rotates its key: new tokens accepted without a restart, old ones too",
          "RFC 7517 §5; RFC 8414 §2", Level.MUST, Where.MOCK, key_rotation, **_WAITS,
          injects="the harness rotates the issuer's key on purpose"),
    Check("RFC7517-5-jwks-down-cached-key",
          "JWKS endpoint down, token of a cached key: 200",
          "RFC 7517 §5", Level.SHOULD, Where.MOCK, jwks_down_cached_key, **_ALONE,
          injects=JWKS_DOWN),
    Check("RFC9110-15.6.4-jwks-down-unknown-key",
          "JWKS endpoint down, token of a key the API has not seen: 503",
          "RFC 9110 §15.6.4; RFC 7517 §5", Level.MUST, Where.MOCK, jwks_down_unknown_key,
          **_OUTAGE, waits=True, injects=JWKS_DOWN),
)  # fmt: skip
