"""Token checks: the grant's response, and tokens the API must refuse.

RFC 6749 §5.1 (the successful token response: ``access_token``, ``token_type``,
``expires_in``), RFC 9068 §2 (JWT access tokens), RFC 7662 §2.2 (an expired or revoked token is
inactive) and RFC 7662 §4 (the resource server must check the token is meant for it).
"""

from __future__ import annotations

from harness.checks.base import INTROSPECTING, Check, CheckContext, Sharing, Where
from harness.checks.expect import expect_bearer_error
from harness.model.matrix import Grant, TokenFormat
from harness.model.results import Level, Outcome, Status
from harness.model.skips import NotApplicable
from harness.targets.base import Holder

GRANTS_WITH_TOKEN_ENDPOINT = frozenset({Grant.JWT_PROFILE, Grant.CLIENT_CREDENTIALS})
PAT_HAS_NO_GRANT = "a PAT is created ahead of time; no token endpoint is involved"


def token_response(ctx: CheckContext) -> Outcome:
    """The grant answers 200 with an access token, ``token_type`` Bearer and ``expires_in``."""
    issued = ctx.issued()
    ctx.exchanges.extend(issued.exchanges)
    expected = "access_token, token_type Bearer (any case), expires_in a positive integer"
    actual = f"token_type {issued.token_type!r}, expires_in {issued.expires_in!r}"
    ok = (
        bool(issued.access_token)
        and issued.token_type.lower() == "bearer"
        and isinstance(issued.expires_in, int)
        and issued.expires_in > 0
    )
    return ctx.outcome(Status.PASSED if ok else Status.FAILED, expected, actual)


def token_format(ctx: CheckContext) -> Outcome:
    """The token has the variant's format: a JWT has three dot-separated parts."""
    looks_like_jwt = ctx.token().count(".") == 2
    found = TokenFormat.JWT if looks_like_jwt else TokenFormat.OPAQUE
    wanted = ctx.variant.token_format
    status = Status.PASSED if found is wanted else Status.FAILED
    detail = "" if found is wanted else _format_hint(ctx)
    return ctx.outcome(status, f"a {wanted} access token", f"a {found} access token", detail)


def _format_hint(ctx: CheckContext) -> str:
    if ctx.target.mode == "live":
        return (
            "Set INTROSPECT_JWT_ACCESS_TOKENS in the .env to match the service users' "
            "access token type in ZITADEL (true for JWT, false for opaque/Bearer)."
        )
    return "The mock issuer issued the wrong token type for this service user."


def revoked_token(ctx: CheckContext) -> Outcome:
    """A token revoked at the issuer: 401 invalid_token."""
    issued = ctx.target.revoked_token(ctx.variant)
    ctx.exchanges.extend(issued.exchanges)  # the grant and (live) revocation, confirmation
    reply = ctx.call(ctx.routes.private, f"Bearer {issued.access_token}")
    return expect_bearer_error(ctx, reply, 401, "invalid_token")


def expired_token(ctx: CheckContext) -> Outcome:
    """A token past its expiry by the issuer's clock: 401 invalid_token."""
    if ctx.target.mock is None:
        raise NotApplicable("expiry needs the mock issuer's clock")
    with ctx.target.mock.expired_token(ctx.variant) as token:
        reply = ctx.call(ctx.routes.private, f"Bearer {token}")
    return expect_bearer_error(ctx, reply, 401, "invalid_token")


def wrong_audience(ctx: CheckContext) -> Outcome:
    """A token whose audience is another project: 401 invalid_token."""
    token = ctx.token(Holder.OTHER_AUDIENCE)
    reply = ctx.call(ctx.routes.private, f"Bearer {token}")
    return expect_bearer_error(ctx, reply, 401, "invalid_token")


CHECKS = (
    Check("RFC6749-5.1-token-response",
          "The grant answers with an access token, token_type Bearer and expires_in",
          "RFC 6749 §5.1", Level.MUST, Where.BOTH, token_response,
          GRANTS_WITH_TOKEN_ENDPOINT, PAT_HAS_NO_GRANT),
    Check("RFC9068-2-token-format", "The access token has the format the variant names",
          "RFC 9068 §2", Level.SHOULD, Where.BOTH, token_format,
          GRANTS_WITH_TOKEN_ENDPOINT, "a PAT is always opaque"),
    Check("RFC7662-2.2-revoked-token", "A revoked token: 401 invalid_token",
          "RFC 7662 §2.2; RFC 7009 §2", Level.MUST, Where.BOTH, revoked_token,
          mechanisms=INTROSPECTING,
          other_mechanisms_reason="local validation cannot see a revocation: the JWT stays "
          "accepted until it expires (recorded by RFC9068-4-revoked-jwt-accepted-until-exp)"),
    Check("RFC7662-2.2-expired-token",
          "A token expired by the issuer's clock: 401 invalid_token",
          "RFC 7662 §2.2", Level.MUST, Where.MOCK, expired_token,
          mechanisms=INTROSPECTING, sharing=Sharing.ALONE,
          other_mechanisms_reason="the API compares exp with its own clock, not the issuer's "
          "(RFC7519-4.1.4-expired-jwt checks it with a token issued in the past)"),
    Check("RFC7662-4-wrong-audience",
          "A token for another project's audience: 401 invalid_token",
          "RFC 7662 §4; RFC 9068 §4", Level.MUST, Where.BOTH, wrong_audience,
          GRANTS_WITH_TOKEN_ENDPOINT,
          "ZITADEL adds the introspecting API's audience to every PAT (zitadel-spec §6)"),
)  # fmt: skip
