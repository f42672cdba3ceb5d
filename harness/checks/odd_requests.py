"""Odd requests: tokens in the wrong place or of absurd shape, and answers that say too much.

RFC 6750 §2 offers three ways to send a token and says clients MUST NOT use more than one; an
API that reads only the header (§2.1) must not take one from the query (§2.3, whose URLs end
up in logs) or a form body (§2.2); a request that uses two ways at once SHOULD get 400
invalid_request (§3.1). RFC 9110 §5.3: `Authorization` is no list, so two of them are
malformed (a sender's MUST NOT; the recipient's answer is again §3.1's SHOULD). Either request
carries one valid token, so letting it in is no fail-open. A token of thousands
of dots or 64 KiB cannot be a token: refused (ideally without troubling the issuer, RFC 7662
§2.1). Answers leak nothing: no role names before the token is proven valid (RFC 6750 §3.1
names `scope` only with `insufficient_scope`), no reason beyond `invalid_token` for an inactive
token (RFC 7662 §2.2: the issuer tells nothing more either), no issuer bodies or URLs.

These depend on the API, not on the grant: they run in the client-credentials cells.
"""

from __future__ import annotations

import json
from dataclasses import replace

from harness.checks.base import (
    INTROSPECTING,
    ONLY_INTROSPECTION,
    Check,
    CheckContext,
    CheckFn,
    Reply,
    Where,
)
from harness.checks.expect import (
    describe,
    expect_bearer_error,
    fail_open,
    graded,
    is_success,
    parse_challenge,
)
from harness.checks.lies import ONE_CELL, ONE_CELL_REASON
from harness.model.matrix import Mechanism
from harness.model.results import Level, Outcome, Status
from harness.model.skips import NotApplicable
from harness.targets.base import IssuerFault
from mock_issuer import LieKind

FORM = "application/x-www-form-urlencoded"
DEGENERATE = {"5000 dots": "." * 5000, "64 KiB of b64token characters": "A" * 65536}
REFUSED_DEGENERATE = (400, 401, 413, 414, 431)
REASON_WORDS = ("revok", "expir", "inactive", "active", "audience", "introspect", "issuer")
# Only the issuer's words (not "server_error": an API may say that of its own failure too).
ISSUER_TEXTS = ("injected fault", "too many requests", "slow_down")
FAULTED = "the harness makes the issuer answer 500 and 429 on purpose"
MCP_NAMES_SCOPE = "the MCP authorization spec asks an MCP server to name the scope in its 401"


def _fresh(ctx: CheckContext) -> str:
    return ctx.target.fresh_token(ctx.variant).access_token


def _not_accepted(ctx: CheckContext, reply: Reply, where: str, owed: bool = True) -> Outcome:
    """401 (or 400) owed; a 2xx is fail-open where an RFC makes the API refuse (``owed``)."""
    expected = f"HTTP 401 (a token in the {where} is not read: no credentials)"
    if is_success(reply) and owed:
        return fail_open(ctx, expected, describe(reply), f"The API took a token from the {where}.")
    if is_success(reply):
        return ctx.outcome(Status.FAILED, expected, describe(reply), f"It read the {where}.")
    if reply.status in (400, 401):
        return ctx.outcome(Status.PASSED, expected, describe(reply))
    return ctx.outcome(Status.FAILED, expected, describe(reply))


def query_token(ctx: CheckContext) -> Outcome:
    """A token in `?access_token=` only: 401 (§2.3 MAY read it, §5.3 SHOULD NOT: no fail-open)."""
    reply = ctx.call(ctx.routes.private, query=f"access_token={_fresh(ctx)}")
    return _not_accepted(ctx, reply, "query", owed=False)


def form_token(ctx: CheckContext) -> Outcome:
    """A valid token in a form body only: not accepted (401)."""
    body = f"access_token={_fresh(ctx)}".encode()
    reply = ctx.call(ctx.routes.private, headers=[("Content-Type", FORM)], body=body)
    return _not_accepted(ctx, reply, "form body")


def header_and_query(ctx: CheckContext) -> Outcome:
    """The same valid token in the header and the query: 400 invalid_request."""
    token = _fresh(ctx)
    reply = ctx.call(ctx.routes.private, f"Bearer {token}", query=f"access_token={token}")
    return _one_token_twice(ctx, reply)


def two_authorization_headers(ctx: CheckContext) -> Outcome:
    """Two `Authorization: Bearer` headers: 400 invalid_request."""
    token = _fresh(ctx)
    headers = [("Authorization", f"Bearer {token}"), ("Authorization", f"Bearer {token}")]
    reply = ctx.call(ctx.routes.private, headers=headers)
    return _one_token_twice(ctx, reply)


TWICE_LET_IN = (
    "Graded SHOULD, not fail-open: the request carried one valid token (twice); RFC 6750 §3.1 "
    "says such a request SHOULD get 400 invalid_request, and no RFC makes a recipient refuse it."
)


def _one_token_twice(ctx: CheckContext, reply: Reply) -> Outcome:
    """400 invalid_request passes; a 2xx, or a 401 with a Bearer challenge, fails at SHOULD
    (RFC 6750 §3.1 says SHOULD); anything else (no challenge, a 500, no answer) at MUST."""
    outcome = expect_bearer_error(ctx, reply, 400, "invalid_request")
    if outcome.status is Status.PASSED:
        return outcome
    if is_success(reply):
        failed = ctx.outcome(Status.FAILED, outcome.expected, outcome.actual)
        return graded(failed, Level.SHOULD, TWICE_LET_IN)
    challenge = parse_challenge(reply.challenge)
    bearer = challenge is not None and challenge.scheme == "bearer"
    if (reply.status == 401 and bearer) or outcome.level is Level.SHOULD:
        return graded(outcome, Level.SHOULD, "Refused, with 401 where 400 fits.")
    return replace(outcome, level=Level.MUST)


def degenerate_tokens(ctx: CheckContext) -> Outcome:
    """Each degenerate token: refused with a 4xx (never 2xx, never 5xx)."""
    expected = "a 4xx refusal (400, 401, 413, 414 or 431) for each"
    for name, token in DEGENERATE.items():
        reply = ctx.call(ctx.routes.private, f"Bearer {token}")
        if is_success(reply):
            return fail_open(ctx, expected, describe(reply), f"The API let in {name}.")
        if reply.status not in REFUSED_DEGENERATE:
            return ctx.outcome(Status.FAILED, expected, describe(reply), f"for {name}")
    return ctx.outcome(Status.PASSED, expected, "refused each")


def degenerate_not_introspected(ctx: CheckContext) -> Outcome:
    """The degenerate tokens never reach the issuer's introspection endpoint."""
    mock = ctx.target.mock
    if mock is None:
        raise NotApplicable("the record of introspection requests is the mock issuer's")
    mark = mock.introspection_mark()
    for token in DEGENERATE.values():
        ctx.call(ctx.routes.private, f"Bearer {token}")
    asked = sum(len(mock.introspections_since(mark, t)) for t in DEGENERATE.values())
    expected = "no introspection request for a token that cannot be one"
    actual = f"{asked} introspection request(s)"
    return ctx.outcome(Status.FAILED if asked else Status.PASSED, expected, actual)


def no_scope_before_valid_token(ctx: CheckContext) -> Outcome:
    """On the scoped route, no token and a garbage token: the role is named nowhere."""
    scoped = ctx.routes.scoped
    if scoped is None:
        raise NotApplicable("the subject has no route that needs a role")
    if ctx.is_mcp(scoped):
        raise NotApplicable(MCP_NAMES_SCOPE)
    replies = [ctx.call(scoped), ctx.call(scoped, "Bearer not-a-token-this-issuer-issued")]
    expected = f"no mention of {ctx.routes.role!r} before the token is proven valid"
    for reply in replies:
        if ctx.routes.role in _said(reply):
            return ctx.outcome(Status.FAILED, expected, describe(reply))
    return ctx.outcome(Status.PASSED, expected, "not named")


def inactive_token_says_only_invalid_token(ctx: CheckContext) -> Outcome:
    """A revoked token: 401 invalid_token, and nothing said about why."""
    token = ctx.target.revoked_token(ctx.variant).access_token
    reply = ctx.call(ctx.routes.private, f"Bearer {token}")
    outcome = expect_bearer_error(ctx, reply, 401, "invalid_token")
    if outcome.status is not Status.PASSED:
        return outcome
    told = [w for w in REASON_WORDS if w in _description(reply).lower()]
    if not told:
        return outcome
    failed = ctx.outcome(Status.FAILED, outcome.expected, describe(reply))
    return graded(failed, Level.SHOULD, f"The answer tells why ({', '.join(told)}).")


def no_issuer_details(ctx: CheckContext) -> Outcome:
    """Under an issuer 500 and a 429: no issuer body, URL or host in the API's answer."""
    mock = ctx.target.mock
    if mock is None:
        raise NotApplicable("needs the mock issuer to fail on purpose")
    replies = []
    token, other = _fresh(ctx), _fresh(ctx)
    with mock.fault(IssuerFault.SERVER_ERROR, token):
        replies.append(ctx.call(ctx.routes.private, f"Bearer {token}"))
    with mock.lie(LieKind.TOO_MANY_REQUESTS, other):
        replies.append(ctx.call(ctx.routes.private, f"Bearer {other}"))
    host = ctx.target.issuer.split("//", 1)[-1]
    expected = "no issuer URL, host or response text in the API's answers"
    for reply in replies:
        said = _said(reply).lower()
        leaked = [t for t in (*ISSUER_TEXTS, host.lower()) if t in said]
        if leaked:
            return ctx.outcome(Status.FAILED, expected, describe(reply), f"found {leaked}")
    return ctx.outcome(Status.PASSED, expected, "nothing of the issuer's")


def _said(reply: Reply) -> str:
    """What an answer tells the caller: its body and its headers."""
    return reply.text + "\n" + "\n".join(f"{k}: {v}" for k, v in reply.headers.items())


def _description(reply: Reply) -> str:
    try:
        body = json.loads(reply.text)
    except ValueError:
        body = {}
    description = body.get("error_description", "") if isinstance(body, dict) else ""
    return f"{description} {reply.challenge}"


def _check(check_id: str, title: str, rfc: str, level: Level, where: Where, fn: CheckFn, *,
           introspecting_only: bool = False, injects: str = "") -> Check:  # fmt: skip
    mechanisms = INTROSPECTING if introspecting_only else frozenset(Mechanism)
    return Check(check_id, title, rfc, level, where, fn,
                 grants=ONE_CELL, other_grants_reason=ONE_CELL_REASON, injects=injects,
                 mechanisms=mechanisms, other_mechanisms_reason=ONLY_INTROSPECTION)  # fmt: skip


CHECKS = (
    _check("RFC6750-2.3-query-token-not-accepted",
           "A token in the query only is not accepted (401)", "RFC 6750 §2.3, §5.3",
           Level.SHOULD, Where.BOTH, query_token),
    _check("RFC6750-2.2-form-token-not-accepted",
           "A token in a form body only is not accepted (401)", "RFC 6750 §2.2, §2.1",
           Level.MUST, Where.BOTH, form_token),
    _check("RFC6750-2-header-and-query-400",
           "A token in the header and the query at once: 400 invalid_request",
           "RFC 6750 §2, §3.1", Level.SHOULD, Where.BOTH, header_and_query),
    _check("RFC9110-5.3-two-authorization-headers-400",
           "Two Authorization headers: 400 invalid_request", "RFC 9110 §5.3; RFC 6750 §3.1",
           Level.SHOULD, Where.BOTH, two_authorization_headers),
    _check("RFC6750-2.1-degenerate-token-refused",
           "5000 dots, 64 KiB of b64token characters: refused with a 4xx", "RFC 6750 §2.1",
           Level.MUST, Where.BOTH, degenerate_tokens),
    _check("RFC7662-2.1-degenerate-token-not-introspected",
           "Tokens that cannot be tokens never reach the issuer", "RFC 7662 §2.1, §4",
           Level.SHOULD, Where.MOCK, degenerate_not_introspected, introspecting_only=True),
    _check("RFC6750-3.1-no-scope-before-valid-token",
           "No role named to a request whose token is not proven valid", "RFC 6750 §3.1",
           Level.SHOULD, Where.BOTH, no_scope_before_valid_token),
    _check("RFC6750-3.1-inactive-token-no-reason",
           "An inactive token: invalid_token and no reason why", "RFC 6750 §3.1; RFC 7662 §2.2",
           Level.MUST, Where.BOTH, inactive_token_says_only_invalid_token,
           introspecting_only=True),
    _check("RFC6750-3-no-issuer-details",
           "Issuer failures leak no issuer body, URL or host", "RFC 6750 §3; RFC 6819 §5.1.6",
           Level.SHOULD, Where.MOCK, no_issuer_details, introspecting_only=True, injects=FAULTED),
)  # fmt: skip
