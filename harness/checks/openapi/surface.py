"""The checks of every operation the API's OpenAPI document lists (RFC 6750 on each).

A route that forgot its guard is the defect that hurts most, and no check of three routes can
see it. Here every operation the document declares secured by a bearer token (OpenAPI 3.1
§4.8.30) gets the smallest request its schema asks for: without a token (RFC 6750 §3.1: 401
with a Bearer challenge; a 2xx is fail-open), with tokens the API must refuse (401
``invalid_token``), without the role it declares (403 ``insufficient_scope``), with a good one
(neither 401 nor 403), and with a body its schema refuses but no token (401: the token is
checked before the body, which would tell the schema to anyone). An operation declaring no
security is listed as public.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace

from harness.checks.base import CheckContext, Reply
from harness.checks.expect import expect_bearer_error, fail_open, graded, is_success
from harness.checks.expect import parse_challenge as challenge_of
from harness.checks.local_jwt.tokens import PAST_S, SHORT_LIFETIME_S, signing_keys
from harness.checks.openapi.document import (
    Answer,
    ask,
    bearer_operations,
    judged,
    read_operations,
    short,
    source_of,
)
from harness.checks.openapi.operations import Guard
from harness.checks.rfc6750 import GARBAGE_TOKEN
from harness.checks.roles import holder_without_role
from harness.model.results import Level, Outcome, Status
from harness.model.skips import CheckSkipped, NotApplicable
from harness.subjects.openapi import OpenApiError
from harness.targets.base import Holder


def document_valid(ctx: CheckContext) -> Outcome:
    """The document is there and valid; its operations listed, the public ones by name."""
    source = source_of(ctx)
    expected = f"a valid OpenAPI 3 document at {source.label}"
    try:
        operations = read_operations(ctx, record=True)
    except OpenApiError as exc:
        return ctx.outcome(Status.FAILED, expected, f"the document {exc}")
    groups = {g: [o.label for o in operations if o.guard is g] for g in Guard}
    actual = (f"{len(operations)} operations: {len(groups[Guard.BEARER])} secured by a bearer "
              f"token, {len(groups[Guard.PUBLIC])} public, {len(groups[Guard.OTHER])} by "
              "another scheme")  # fmt: skip
    detail = [f"Public (no security declared): {', '.join(groups[Guard.PUBLIC]) or 'none'}."]
    if groups[Guard.OTHER]:
        detail.append(f"Another scheme (not checked): {', '.join(groups[Guard.OTHER])}.")
    notes = [f"{o.label}: {o.note}" for o in operations if o.note]
    if notes:
        detail.append("Requests not known to be valid: " + "; ".join(notes) + ".")
    return ctx.outcome(Status.PASSED, expected, actual, " ".join(detail))


def no_token(ctx: CheckContext) -> Outcome:
    """Each secured operation without a token: 401 with a Bearer challenge."""
    answers = [ask(ctx, op, None, lambda r: _challenged(ctx, r)) for op in bearer_operations(ctx)]
    return judged(ctx, "HTTP 401 with a Bearer challenge for each", answers, "without a token")


def _challenged(ctx: CheckContext, reply: Reply) -> Outcome:
    expected = "HTTP 401 with WWW-Authenticate: Bearer"
    found = challenge_of(reply.challenge)
    if is_success(reply):
        return fail_open(ctx, expected, short(reply), "Declared secured, served without a token.")
    ok = reply.status == 401 and found is not None and found.scheme == "bearer"
    return ctx.outcome(Status.PASSED if ok else Status.FAILED, expected, short(reply))


def bad_tokens(ctx: CheckContext) -> Outcome:
    """Each secured operation with a garbage, revoked, expired and foreign-audience token: 401."""
    operations = bearer_operations(ctx)
    answers: list[Answer] = []
    skipped: list[str] = []
    for kind, tokens in _bad_tokens(ctx):
        try:
            with tokens() as token:
                answers += [ask(ctx, op, f"Bearer {token}", lambda r: _refused(ctx, r), kind=kind)
                            for op in operations]  # fmt: skip
        except CheckSkipped as exc:
            skipped.append(f"{kind}: {exc.reason}")
    outcome = judged(ctx, "HTTP 401 invalid_token for each", answers, "requests with a bad token")
    return _noted(outcome, f"Not tried: {'; '.join(skipped)}.") if skipped else outcome


def _noted(outcome: Outcome, note: str) -> Outcome:
    return replace(outcome, detail=" ".join(filter(None, (outcome.detail, note))))


def _refused(ctx: CheckContext, reply: Reply) -> Outcome:
    return expect_bearer_error(ctx, reply, 401, "invalid_token")


TokenBlock = Callable[[], AbstractContextManager[str]]


def _bad_tokens(ctx: CheckContext) -> Iterator[tuple[str, TokenBlock]]:
    """The tokens the API must refuse, each in a ``with`` block (the expired one needs it)."""
    yield "garbage", lambda: _given(GARBAGE_TOKEN)
    introspects = ctx.variant.cell.mechanism.introspects
    if introspects:
        yield "revoked", lambda: _given(ctx.target.revoked_token(ctx.variant).access_token)
    yield "expired", lambda: _expired(ctx, introspects)
    yield "another audience", lambda: _given(ctx.token(Holder.OTHER_AUDIENCE))


@contextmanager
def _given(token: str) -> Iterator[str]:
    yield token


@contextmanager
def _expired(ctx: CheckContext, introspects: bool) -> Iterator[str]:
    if ctx.target.mock is None:
        raise NotApplicable("expiry needs the mock issuer's clock")
    if introspects:
        with ctx.target.mock.expired_token(ctx.variant) as token:
            yield token
        return
    with signing_keys(ctx).issuing_at(-PAST_S, SHORT_LIFETIME_S):
        token = ctx.target.fresh_token(ctx.variant).access_token
    yield token


def insufficient_scope(ctx: CheckContext) -> Outcome:
    """Each operation declaring scopes or roles, with a token holding none: 403."""
    scoped = [op for op in bearer_operations(ctx) if op.scopes]
    if not scoped:
        raise NotApplicable("no secured operation declares a scope or role")
    authorization = f"Bearer {ctx.token(holder_without_role(ctx))}"

    def judge(reply: Reply) -> Outcome:
        return expect_bearer_error(ctx, reply, 403, "insufficient_scope")

    answers = [ask(ctx, op, authorization, judge) for op in scoped]
    return judged(ctx, "HTTP 403 insufficient_scope for each", answers, "without the role")


def valid_token(ctx: CheckContext) -> Outcome:
    """Each secured operation with a token holding what it declares: neither 401 nor 403."""
    held = ctx.target.expected_roles(ctx.grant)
    operations = bearer_operations(ctx)
    tried = [op for op in operations if set(op.scopes) <= held]
    if not tried:
        raise NotApplicable(f"every secured operation needs a role the token lacks ({held})")
    authorization = f"Bearer {ctx.token()}"
    answers = [ask(ctx, op, authorization, lambda r: _served(ctx, r)) for op in tried]
    outcome = judged(ctx, "neither 401 nor 403 for each", answers, "with a valid token")
    if outcome.status is Status.PASSED:
        statuses = ", ".join(f"{a.label}: {short(a.reply)}" for a in answers)
        outcome = _noted(outcome, f"Answers: {statuses}.")
    left = ", ".join(op.label for op in operations if op not in tried)
    return _noted(outcome, f"Not tried (a role the token lacks): {left}.") if left else outcome


def _served(ctx: CheckContext, reply: Reply) -> Outcome:
    expected = "neither 401 nor 403 (the request's content may still be refused)"
    refused = reply.status in (401, 403) or reply.status is None
    return ctx.outcome(Status.FAILED if refused else Status.PASSED, expected, short(reply))


def guard_before_body(ctx: CheckContext) -> Outcome:
    """Each secured operation taking a JSON body, a body its schema refuses and no token: 401."""
    with_body = [op for op in bearer_operations(ctx) if op.refused_body is not None]
    if not with_body:
        raise NotApplicable("no secured operation takes a JSON body its schema can refuse")
    answers = [ask(ctx, op, None, lambda r: _guard_first(ctx, r), body=op.refused_body)
               for op in with_body]  # fmt: skip
    return judged(ctx, "HTTP 401 for each (not 400 or 422)", answers, "with a bad body")


def _guard_first(ctx: CheckContext, reply: Reply) -> Outcome:
    outcome = _challenged(ctx, reply)
    if outcome.status is Status.FAILED and not outcome.fail_open:
        why = ("The body was judged before the token: the answer tells anyone without a token "
               "what the API expects.") if reply.status in (400, 422) else ""  # fmt: skip
        return graded(outcome, Level.SHOULD, why)
    return outcome
