"""The JWS forgery pack (RFC 7515, RFC 8725): tokens whose header or signature lies.

Each is the valid token made into a forgery one way, and owes 401 ``invalid_token`` (a 2xx is
*fail-open*): a key the token carries itself (``jwk``, ``x5c``) or names by URL (``jku``,
``x5u``: the harness's canary, which counts every fetch; RFC 8725 §3.10 calls following them
server-side request forgery, and RFC 7515 §4.1.2 and §4.1.5 demand TLS, which the canary's
``http://`` lacks); a ``crit`` extension nobody knows (RFC 7515 §4.1.11: MUST reject); an empty
signature; HS256 with an empty key; the claims changed under the old signature; an ES256
signature with r = s = 0 (CVE-2022-21449) under the issuer's EC key; a ``typ`` of another kind
of JWT, and ``JWT`` itself where the issuer issues ``at+jwt`` (RFC 9068 §4).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac

from harness.checks.base import CheckContext
from harness.checks.local_jwt.attacker import (
    canary_files,
    signed_by_stranger,
    stranger_certificate,
    stranger_jwk,
    x5c_value,
)
from harness.checks.local_jwt.canary import CERT_PATH, JWKS_PATH, Canary, canary
from harness.checks.local_jwt.tokens import (
    b64,
    bearer,
    claims_of,
    compact,
    header_of,
    issuer_jwks,
    refused,
    signing_keys,
    valid_jwt,
)
from harness.model.results import Level, Outcome, Status
from harness.model.skips import NotApplicable

CRIT = "urn:harness:must-understand"
OTHER_TYPES = ("secevent+jwt", "dpop+jwt")  # RFC 8417 §2.3, RFC 9449 §4.2
ACCEPTS_ES256 = "The API accepts ES256 tokens of the issuer's EC key; r = s = 0 it refused."
REFUSES_ES256 = (
    "The API refuses ES256 altogether (its algorithm allow-list), the psychic signature too."
)


def _send(ctx: CheckContext, token: str) -> Outcome:
    return refused(ctx, ctx.call(ctx.routes.private, bearer(token)))


def _first_failure(outcomes: list[Outcome]) -> Outcome:
    return next((o for o in outcomes if o.status is Status.FAILED), outcomes[-1])


def embedded_jwk(ctx: CheckContext) -> Outcome:
    """Signed by the attacker's key, its public key in the ``jwk`` header (the issuer's kid)."""
    token = valid_jwt(ctx)
    forged = signed_by_stranger(token, {"jwk": stranger_jwk(header_of(token).get("kid"))})
    return _send(ctx, forged)


def _with_canary(ctx: CheckContext, member: str, level: Level) -> Outcome:
    """Signed by the attacker, ``member`` naming the canary; refused, and nothing fetched."""
    token = valid_jwt(ctx)
    kid = header_of(token).get("kid")
    with canary({}) as found:
        certificate = stranger_certificate(found.url)
        found.files.update(canary_files(kid, certificate))
        value: object = {"jku": found.url + JWKS_PATH, "x5u": found.url + CERT_PATH}.get(member)
        forged = signed_by_stranger(token, {member: value or x5c_value(certificate)})
        outcome = _send(ctx, forged)
    return _unfetched(ctx, outcome, found, level)


def _unfetched(ctx: CheckContext, outcome: Outcome, found: Canary, level: Level) -> Outcome:
    """The refusal's outcome, failed (at ``level``) if the API fetched from the canary."""
    actual = f"{outcome.actual}; {found.report()}"
    if found.fetches == 0 or outcome.status is Status.FAILED:
        # The count in the detail too: a report shows a passed check's detail, not its actual.
        counted = " ".join(filter(None, (outcome.detail, f"{found.report().capitalize()}.")))
        return dataclasses.replace(outcome, actual=actual, detail=counted)
    detail = (
        "The API fetched what the token's header named: a URL the token's maker chose "
        "(server-side request forgery, RFC 8725 §3.10); a validator that knows its issuer's "
        "keys has no reason to."
    )
    expected = f"{outcome.expected}, and no fetch from the URL the token names"
    failed = ctx.outcome(Status.FAILED, expected, actual, detail)
    return dataclasses.replace(failed, level=level)


def jku_canary(ctx: CheckContext) -> Outcome:
    """``jku`` names the canary, which serves the attacker's key set: 401, never fetched."""
    return _with_canary(ctx, "jku", Level.MUST)


def x5u_canary(ctx: CheckContext) -> Outcome:
    """``x5u`` names the canary, which serves the attacker's certificate: 401, never fetched."""
    return _with_canary(ctx, "x5u", Level.MUST)


def x5c_canary(ctx: CheckContext) -> Outcome:
    """``x5c`` holds the attacker's certificate (its issuer and CRL at the canary): 401."""
    return _with_canary(ctx, "x5c", Level.SHOULD)


def unknown_crit(ctx: CheckContext) -> Outcome:
    """Signed by the issuer's own key, with a ``crit`` extension nobody understands: 401."""
    token = valid_jwt(ctx)
    header = {"typ": header_of(token).get("typ"), "crit": [CRIT], CRIT: True}
    return _send(ctx, signing_keys(ctx).sign(claims_of(token), header))


def empty_signature(ctx: CheckContext) -> Outcome:
    """The valid token's header and claims with the signature cut off (``header.claims.``)."""
    header, claims, _ = valid_jwt(ctx).split(".")
    return _send(ctx, f"{header}.{claims}.")


def hs256_empty_key(ctx: CheckContext) -> Outcome:
    """The valid token's claims, HS256 with an empty key (anyone can compute it): 401."""
    token = valid_jwt(ctx)
    signing_input = compact({**header_of(token), "alg": "HS256"}, claims_of(token))
    signature = hmac.new(b"", signing_input, hashlib.sha256).digest()
    return _send(ctx, f"{signing_input.decode()}.{b64(signature)}")


def payload_changed(ctx: CheckContext) -> Outcome:
    """Another subject in the claims, under the valid token's own header and signature."""
    header, _, signature = valid_jwt(ctx).split(".")
    claims = {**claims_of(valid_jwt(ctx)), "sub": "attacker"}
    changed = compact({}, claims).decode().split(".")[1]
    return _send(ctx, f"{header}.{changed}.{signature}")


def psychic_signature(ctx: CheckContext) -> Outcome:
    """ES256 with r = s = 0 under the issuer's EC P-256 key (CVE-2022-21449): 401."""
    token = valid_jwt(ctx)
    ec_kids = [
        str(k["kid"]) for k in issuer_jwks(ctx) if k.get("kty") == "EC" and k.get("crv") == "P-256"
    ]
    if not ec_kids:
        raise NotApplicable("the issuer publishes no EC P-256 key: no ES256 signature can verify")
    header = {**header_of(token), "alg": "ES256", "kid": ec_kids[0]}
    forged = f"{compact(header, claims_of(token)).decode()}.{b64(bytes(64))}"
    outcome = _send(ctx, forged)
    if ctx.target.mock is None or outcome.status is Status.FAILED:
        return outcome
    genuine = signing_keys(ctx).sign(claims_of(token), {"typ": header.get("typ")}, ec_kids[0])
    accepted = ctx.call(ctx.routes.private, bearer(genuine)).status == 200
    detail = ACCEPTS_ES256 if accepted else REFUSES_ES256
    return dataclasses.replace(outcome, detail=detail)


def typ_not_at_jwt(ctx: CheckContext) -> Outcome:
    """Signed by the issuer with a ``typ`` of another kind of JWT (and ``JWT``, no ``typ``,
    where the issuer's tokens say ``at+jwt``): 401 for each."""
    token = valid_jwt(ctx)
    issued = str(header_of(token).get("typ", "")).lower()
    types: list[str | None] = list(OTHER_TYPES)
    if issued in ("at+jwt", "application/at+jwt"):
        types += ["JWT", None]
    keys, claims = signing_keys(ctx), claims_of(token)
    outcomes = [_send(ctx, keys.sign(claims, {"typ": typ})) for typ in types]
    shown = ", ".join(str(t) for t in types)
    note = "" if issued.endswith("at+jwt") else f" (the issuer's own typ is {issued or 'none'})"
    return dataclasses.replace(_first_failure(outcomes), detail=f"typ tried: {shown}{note}.")
