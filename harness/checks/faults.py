"""Issuer failure checks: when introspection gives no trustworthy answer, the API says 503.

RFC 7662 §2.2 defines only the issuer's successful answer; anything else (no connection, a
timeout, a 5xx, a body that is not JSON, a refusal of the API's own credentials per RFC 7662
§2.1) leaves the API unable to decide. The honest answer is RFC 9110 §15.6.4 503, never 200
(that would let any token in) and never an unhandled 500.
"""

from __future__ import annotations

from typing import Any

from harness.checks.base import (
    INTROSPECTING,
    ONLY_INTROSPECTION,
    Check,
    CheckContext,
    CheckFn,
    Reply,
    Where,
)
from harness.checks.expect import describe, expect_unavailable, graded, is_success
from harness.model.results import Level, Outcome, Status
from harness.model.skips import NotApplicable
from harness.targets.base import IssuerFault

RFC = "RFC 9110 §15.6.4; RFC 7662 §2.3"


def issuer_down(ctx: CheckContext) -> Outcome:
    """An API whose issuer is a closed port: 503."""
    base_url = ctx.target.issuer_down_api_url(ctx.variant.cell.mechanism)
    reply = ctx.call(ctx.routes.private, f"Bearer {ctx.token()}", base_url=base_url)
    return expect_unavailable(ctx, reply)


def _with_fault(fault: IssuerFault) -> CheckFn:
    def check(ctx: CheckContext) -> Outcome:
        if ctx.target.mock is None:
            raise NotApplicable("fault injection needs the mock issuer")
        # A token the API has never seen, so no cached answer can stand in for the issuer's;
        # obtained before the fault, which would spoil the grant too; the fault is about it
        # alone, so checks running beside this one get true answers.
        token = ctx.target.fresh_token(ctx.variant).access_token
        with ctx.target.mock.fault(fault, token):
            reply = ctx.call(ctx.routes.private, f"Bearer {token}")
        if fault is IssuerFault.SLOW and is_success(reply):
            return _waited(ctx, reply)
        return expect_unavailable(ctx, reply)

    check.__doc__ = f"With the issuer's introspection endpoint faulted ({fault}): 503."
    return check


def _waited(ctx: CheckContext, reply: Reply) -> Outcome:
    """The API waited for the slow issuer's (correct) answer: no timeout, but no fail-open."""
    why = (
        "Graded SHOULD, not fail-open: the issuer did answer (the token is valid), but the API "
        "waited for it; it has no timeout shorter than the issuer's delay. If its timeout is "
        "longer on purpose, say so with issuer_timeout in the subject file."
    )
    failed = ctx.outcome(Status.FAILED, "HTTP 503 after the API's own timeout", describe(reply))
    return graded(failed, Level.SHOULD, why)


# A local validator is given the stand-in (or closed port) as its issuer, so every real token's
# iss is foreign to it, and RFC 9068 §4 has it check iss before it needs the keys: a right 401.
LOCAL_JWT_DOWN = (
    "a local-JWT API pointed at another issuer rightly refuses every token's iss before it needs "
    "the keys; its issuer outage is RFC9110-15.6.4-jwks-down-unknown-key"
)
INJECTED = "the harness makes the issuer fail on purpose"
_INTROSPECTION: dict[str, Any] = {
    "injects": INJECTED,
    "mechanisms": INTROSPECTING,
    "other_mechanisms_reason": ONLY_INTROSPECTION
    + " (its JWKS endpoint's faults have checks of their own: *-jwks-down-*)",
}
CHECKS = (
    Check("RFC9110-15.6.4-issuer-down", "Issuer unreachable (closed port): 503",
          RFC, Level.MUST, Where.BOTH, issuer_down, mechanisms=INTROSPECTING,
          other_mechanisms_reason=LOCAL_JWT_DOWN, waits=True,
          injects="the harness points the API at a closed port on purpose"),
    Check("RFC9110-15.6.4-issuer-slow", "Issuer slower than the API's timeout: 503",
          RFC, Level.MUST, Where.MOCK, _with_fault(IssuerFault.SLOW), **_INTROSPECTION,
          waits=True),
    Check("RFC9110-15.6.4-issuer-5xx", "Issuer answers 500: 503",
          RFC, Level.MUST, Where.MOCK, _with_fault(IssuerFault.SERVER_ERROR), **_INTROSPECTION),
    Check("RFC9110-15.6.4-issuer-malformed-json", "Issuer answers 200 with malformed JSON: 503",
          RFC, Level.MUST, Where.MOCK, _with_fault(IssuerFault.MALFORMED_JSON), **_INTROSPECTION),
    Check("RFC9110-15.6.4-issuer-drops-connection",
          "Issuer closes the connection without answering: 503",
          RFC, Level.MUST, Where.MOCK, _with_fault(IssuerFault.DROP_CONNECTION), **_INTROSPECTION),
    Check("RFC7662-2.1-issuer-rejects-api-credentials",
          "Issuer rejects the API's own client credentials: 503",
          RFC, Level.MUST, Where.MOCK, _with_fault(IssuerFault.REJECT_CLIENT), **_INTROSPECTION),
)  # fmt: skip
