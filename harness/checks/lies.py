"""The lying issuer: well-formed HTTP, wrong answers; the API owes a refusal to each.

RFC 7662 §2.2 defines the answer: a JSON object (RFC 8259, UTF-8) whose `active` is a JSON
boolean. The mock issuer computes the true answer for a valid token, then bends it in one way.
Never 200, never a 500: the token's fault (expired, not for this API, not an access token) is
401 `invalid_token` (RFC 6750 §3.1); an answer that cannot be trusted at all (malformed, too
big, too slow, compressed, redirected) is the issuer's fault, RFC 9110 §15.6.4 503. A 2xx is
*fail-open*; a refusal with the other of 401/503 fails at SHOULD. Why each lie is whose fault
is in `docs/harness.md` ("The lying issuer").

The answer does not depend on how the token was obtained, so the checks run in the
client-credentials cells (one per API, both token formats), not in all six.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass

from harness.checks.base import (
    INTROSPECTING,
    ONLY_INTROSPECTION,
    Check,
    CheckContext,
    CheckFn,
    Reply,
    Where,
)
from harness.checks.expect import describe, fail_open, graded, is_success
from harness.model.matrix import Grant, TokenFormat
from harness.model.results import Level, Outcome, Status
from harness.model.skips import NotApplicable
from mock_issuer import LieKind

ISSUER_FAULT = 503
TOKEN_FAULT = 401
REFUSALS = (TOKEN_FAULT, 403, ISSUER_FAULT)
PRIVATE, SCOPED = "private", "scoped"
ONE_CELL = frozenset({Grant.CLIENT_CREDENTIALS})
ONE_CELL_REASON = "the issuer's answer is judged once per API, in the client-credentials cell"


@dataclass(frozen=True)
class LieCase:
    """One lie, the answer it owes, and where that is written."""

    lie: LieKind
    slug: str
    title: str
    rfc: str
    status: int
    path: str = PRIVATE  # which of the subject's routes


def _cases() -> tuple[LieCase, ...]:
    i, t = ISSUER_FAULT, TOKEN_FAULT
    active, dates = "RFC 7662 §2.2", "RFC 7519 §2 (NumericDate); RFC 8259 §6"
    body = "RFC 7662 §2.2; RFC 8259 §8.1"
    return (
        LieCase(LieKind.ACTIVE_STRING, "active-string", '"active": "true"', active, i),
        LieCase(LieKind.ACTIVE_ONE, "active-one", '"active": 1', active, i),
        LieCase(LieKind.ACTIVE_NULL, "active-null", '"active": null', active, i),
        LieCase(LieKind.ACTIVE_LIST, "active-list", '"active": [true]', active, i),
        LieCase(LieKind.ACTIVE_MISSING, "active-missing", "no active member", active, i),
        LieCase(LieKind.ACTIVE_DUPLICATE, "active-duplicate",
                '"active": false ... "active": true in one object', "RFC 8259 §4", i),
        LieCase(LieKind.EXPIRED, "expired", '"active": true with exp an hour ago',
                "RFC 7662 §2.2; RFC 7519 §4.1.4", t),
        LieCase(LieKind.NOT_YET_VALID, "not-yet-valid", '"active": true with nbf in an hour',
                "RFC 7662 §2.2; RFC 7519 §4.1.5", t),
        LieCase(LieKind.EXP_STRING, "exp-string", "exp as a string", dates, i),
        LieCase(LieKind.EXP_NAN, "exp-nan", "exp NaN", dates, i),
        LieCase(LieKind.EXP_OVERFLOW, "exp-1e400", "exp 1e400", dates, i),
        LieCase(LieKind.EXP_HUNDREDS_OF_DIGITS, "exp-400-digits",
                "exp an integer of 400 digits", dates, i),
        LieCase(LieKind.EXP_THOUSANDS_OF_DIGITS, "exp-5000-digits",
                "exp an integer of 5000 digits", dates, i),
        LieCase(LieKind.FOREIGN_AUDIENCE, "foreign-audience", "aud another project",
                "RFC 7662 §4; RFC 7519 §4.1.3", t),
        LieCase(LieKind.TWO_AUDIENCES_IN_ONE_STRING, "aud-two-in-one-string",
                'aud "<other> <ours>" (one string is one audience)', "RFC 7519 §4.1.3", t),
        LieCase(LieKind.FOREIGN_ISSUER, "foreign-issuer", "iss another issuer",
                "RFC 7662 §2.2; RFC 7519 §4.1.1", t),
        LieCase(LieKind.REFRESH_TOKEN_TYPE, "refresh-token-type", 'token_type "refresh_token"',
                "RFC 7662 §2.2; RFC 6749 §1.5", t),
        LieCase(LieKind.ROLES_WRONG_TYPE, "roles-wrong-type",
                'roles claim one string "not-read:messages" (403 on the scoped route)',
                "RFC 6750 §3.1", 403, SCOPED),
        LieCase(LieKind.DEEP_NESTING, "deep-nesting", "JSON nested 100000 deep",
                "RFC 8259 §9", i),
        LieCase(LieKind.HUGE_BODY, "huge-body", "a 30 MB answer", "RFC 8259 §9", i),
        LieCase(LieKind.COMPRESSED_BOMB, "gzip-bomb",
                "a gzip answer expanding to 200 MB", "RFC 9110 §8.4", i),
        LieCase(LieKind.JSON_AS_HTML, "json-as-html", "JSON sent as text/html", body, i),
        LieCase(LieKind.JSON_AS_UTF16, "json-as-utf16", "JSON encoded in UTF-16", body, i),
        LieCase(LieKind.EMPTY_200, "empty-200", "200 with an empty body", body, i),
        LieCase(LieKind.TOO_MANY_REQUESTS, "429", "429 with Retry-After",
                "RFC 6585 §4; RFC 9110 §15.6.4", i),
        LieCase(LieKind.REDIRECT_ELSEWHERE, "302-elsewhere",
                "302 to an endpoint that says active", "RFC 7662 §2.2; RFC 9110 §15.4.3", i),
        LieCase(LieKind.DRIP_BODY, "drip-body",
                "the body dripped past the API's timeout", "RFC 9110 §15.6.4", i),
        LieCase(LieKind.DRIP_HEADERS, "drip-headers",
                "the headers dripped past the API's timeout", "RFC 9110 §15.6.4", i),
        LieCase(LieKind.DISCOVERY_OTHER_ISSUER, "discovery-other-issuer",
                "discovery names another issuer", "RFC 8414 §3.3", i),
        LieCase(LieKind.DISCOVERY_NO_INTROSPECTION, "discovery-no-introspection",
                "discovery without introspection_endpoint", "RFC 8414 §2", i),
        LieCase(LieKind.DISCOVERY_DEEP_NESTING, "discovery-deep-nesting",
                "discovery nested 100000 deep", "RFC 8414 §3.2; RFC 8259 §9", i),
        LieCase(LieKind.DISCOVERY_HUGE_NUMBER, "discovery-huge-number",
                "discovery with a 5000-digit number", "RFC 8414 §3.2; RFC 8259 §6", i),
    )  # fmt: skip


CASES = _cases()


def judge(ctx: CheckContext, reply: Reply, owed: int) -> Outcome:
    """Grade a reply to a lie: the owed refusal passes; a 2xx is fail-open; 401/403/503 where
    another of them fits fails at SHOULD; anything else (a 500, no answer) fails at MUST."""
    expected = f"HTTP {owed} (a refusal; never 2xx, never 500)"
    actual = describe(reply)
    if reply.status == owed:
        return ctx.outcome(Status.PASSED, expected, actual)
    if is_success(reply):
        return fail_open(ctx, expected, actual, "The issuer's answer had to be refused.")
    failed = ctx.outcome(Status.FAILED, expected, actual)
    if reply.status in REFUSALS:
        why = f"Refused, but with {reply.status} where {owed} fits (see docs/harness.md)."
        return graded(failed, Level.SHOULD, why)
    return failed


def _lying(case: LieCase) -> CheckFn:
    def check(ctx: CheckContext) -> Outcome:
        mock = ctx.target.mock
        if mock is None:
            raise NotApplicable("a lying issuer needs the mock issuer")
        if case.lie.fresh and ctx.variant.token_format is not TokenFormat.OPAQUE:
            raise NotApplicable("discovery does not depend on the token: judged with opaque ones")
        path = ctx.routes.private if case.path == PRIVATE else ctx.routes.scoped
        if path is None:
            raise NotApplicable("the subject has no route that needs a role")
        # A token the API has never seen (no cached answer stands in for the lie), obtained
        # before the lie.
        token = ctx.target.fresh_token(ctx.variant).access_token
        with ExitStack() as stack:
            stack.enter_context(mock.lie(case.lie))
            base_url = ctx.api_url
            if case.lie.fresh:  # discovery is read once per process: a new API must read it
                fresh = ctx.target.fresh_api(ctx.variant.cell.mechanism)
                base_url = stack.enter_context(fresh)
            reply = ctx.get(path, f"Bearer {token}", base_url=base_url)
        return judge(ctx, reply, case.status)

    check.__doc__ = f"The issuer answers {case.title}: the API owes {case.status}."
    return check


def check_id(case: LieCase) -> str:
    """``RFC<n>-<section>-lie-<what>``, after the first RFC section the case cites."""
    number, _, section = case.rfc.split(";")[0].removeprefix("RFC ").partition(" §")
    return f"RFC{number}-{section.split(' ')[0]}-lie-{case.slug}"


CHECKS = tuple(
    Check(
        check_id(case),
        f"Issuer lies ({case.title}): {case.status}",
        case.rfc,
        Level.MUST,
        Where.MOCK,
        _lying(case),
        grants=ONE_CELL,
        other_grants_reason=ONE_CELL_REASON,
        mechanisms=INTROSPECTING,
        other_mechanisms_reason=ONLY_INTROSPECTION + " (nor trusts an introspection answer)",
    )
    for case in CASES
)
