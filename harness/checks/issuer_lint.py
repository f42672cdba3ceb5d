"""Watching the API's own call to the issuer: how it authenticates its introspection requests.

The mock issuer records each introspection request as facts (never the secret or assertion
itself); these checks judge the ones the API made while answering one request. RFC 6749 §2.3:
a client MUST NOT use more than one authentication method. RFC 6749 §2.3.1: the client id and
secret are form-urlencoded before they go into the Basic header (an app whose secret holds
``:%+ é`` proves it; zitadel-go #578). RFC 7523 §3 for ``private_key_jwt``: ``iss`` and ``sub``
are the client id, ``aud`` names the issuer, the assertion expires soon (§3 lets the issuer
refuse an ``exp`` unreasonably far ahead), and a ``jti`` lets the issuer refuse a replay (a MAY
in RFC 7523 §3, REQUIRED for ``private_key_jwt`` by OpenID Connect Core 1.0 §9; zitadel/oidc
#873).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.checks.base import (
    INTROSPECTING,
    ONLY_INTROSPECTION,
    Check,
    CheckContext,
    CheckFn,
    Reply,
    Sharing,
    Where,
)
from harness.checks.expect import describe
from harness.checks.lies import ONE_CELL, ONE_CELL_REASON
from harness.model.matrix import Mechanism
from harness.model.results import Level, Outcome, Status
from harness.model.skips import NotApplicable
from harness.targets.base import IntrospectionFacts

MAX_ASSERTION_LIFETIME_S = 600.0
Judge = Callable[[IntrospectionFacts, str], str]


def _calls(ctx: CheckContext, base_url: str = "") -> tuple[list[IntrospectionFacts], Reply]:
    """The introspection requests the API made for one request with a token it never saw."""
    mock = ctx.target.mock
    if mock is None:
        raise NotApplicable("the record of introspection requests is the mock issuer's")
    token = ctx.target.fresh_token(ctx.variant).access_token
    mark = mock.introspection_mark()
    reply = ctx.call(ctx.routes.private, f"Bearer {token}", base_url=base_url)
    calls = mock.introspections_since(mark, token)  # this check's, not its neighbours'

    if not calls:
        raise NotApplicable("the API made no introspection request (a cache, or no introspection)")
    return calls, reply


def _verdict(
    ctx: CheckContext, calls: list[IntrospectionFacts], judge: Judge, rule: str
) -> Outcome:
    problems = [p for p in (judge(call, ctx.target.issuer) for call in calls) if p]
    actual = problems[0] if problems else f"{len(calls)} request(s), each as the rule says"
    return ctx.outcome(Status.FAILED if problems else Status.PASSED, rule, actual)


def _one_method(call: IntrospectionFacts, issuer: str) -> str:
    if len(call.methods) == 1:
        return ""
    return f"{len(call.methods)} methods: {', '.join(call.methods) or 'none'}"


def one_method(ctx: CheckContext) -> Outcome:
    """Each introspection request carries exactly one client authentication method."""
    return _verdict(ctx, _calls(ctx)[0], _one_method, "exactly one client authentication method")


def _assertion_rule(judge: Judge, rule: str) -> CheckFn:
    def check(ctx: CheckContext) -> Outcome:
        if ctx.variant.cell.mechanism is not Mechanism.PRIVATE_KEY_JWT:
            raise NotApplicable("the API authenticates without a client assertion")

        def with_assertion(call: IntrospectionFacts, issuer: str) -> str:
            if call.assertion is None:
                return "no client assertion in the request"
            return judge(call, issuer)

        return _verdict(ctx, _calls(ctx)[0], with_assertion, rule)

    check.__doc__ = f"The API's client assertion: {rule}."
    return check


def _jti(call: IntrospectionFacts, issuer: str) -> str:
    return "" if call.assertion and call.assertion.has_jti else "no jti"


def _lifetime(call: IntrospectionFacts, issuer: str) -> str:
    lifetime = call.assertion.lifetime if call.assertion else None
    if lifetime is None:
        return "no exp or iat, so no lifetime"
    if 0 < lifetime <= MAX_ASSERTION_LIFETIME_S:
        return ""
    return f"lifetime {lifetime:.0f} s (more than {MAX_ASSERTION_LIFETIME_S:.0f} s)"


def _audience(call: IntrospectionFacts, issuer: str) -> str:
    aud = call.assertion.aud if call.assertion else ()
    return "" if issuer in aud else f"aud {list(aud)} does not name the issuer {issuer}"


def _iss_is_sub(call: IntrospectionFacts, issuer: str) -> str:
    claims = call.assertion
    if claims and claims.iss and claims.iss == claims.sub:
        return ""
    return f"iss {claims.iss if claims else None!r} and sub {claims.sub if claims else None!r}"


def basic_form_urlencoded(ctx: CheckContext) -> Outcome:
    """With an API app whose secret holds ``:%+ é``: the API gets in, its header encoded."""
    if ctx.variant.cell.mechanism is not Mechanism.CLIENT_SECRET_BASIC:
        raise NotApplicable("the API authenticates without a client secret")
    with ctx.target.odd_secret_api(ctx.variant.cell.mechanism) as base_url:
        calls, reply = _calls(ctx, base_url)
    rule = "Basic credentials form-urlencoded (RFC 6749 §2.3.1), and the API let in"
    if not all(call.basic_form_encoded for call in calls):
        found = "a Basic header whose parts are not form-urlencoded"
        return ctx.outcome(Status.FAILED, rule, found, f"the API answered {describe(reply)}")
    if reply.status != 200:
        return ctx.outcome(Status.FAILED, rule, describe(reply))
    return ctx.outcome(Status.PASSED, rule, "encoded; HTTP 200")


def _check(
    check_id: str, title: str, rfc: str, level: Level, fn: CheckFn, injects: str = "", **extra: Any
) -> Check:
    return Check(check_id, title, rfc, level, Where.MOCK, fn,
                 grants=ONE_CELL, other_grants_reason=ONE_CELL_REASON,
                 mechanisms=INTROSPECTING, other_mechanisms_reason=ONLY_INTROSPECTION,
                 injects=injects, **extra)  # fmt: skip


CHECKS = (
    _check("RFC6749-2.3-one-client-auth-method",
           "The API's introspection requests use exactly one client authentication method",
           "RFC 6749 §2.3; RFC 7662 §2.1", Level.MUST, one_method),
    _check("RFC6749-2.3.1-basic-form-urlencoded",
           "Basic credentials are form-urlencoded (an app secret holding ':%+ é' works)",
           "RFC 6749 §2.3.1", Level.MUST, basic_form_urlencoded,
           "the harness gives the API a secret of ':%+ é' on purpose",
           sharing=Sharing.NEW_INSTANCE, waits=True),
    _check("RFC7523-3-assertion-iss-equals-sub", "Client assertion: iss == sub (the client id)",
           "RFC 7523 §3, §2.2", Level.MUST, _assertion_rule(_iss_is_sub, "iss == sub")),
    _check("RFC7523-3-assertion-aud-issuer", "Client assertion: aud names the issuer",
           "RFC 7523 §3", Level.MUST, _assertion_rule(_audience, "aud contains the issuer")),
    _check("RFC7523-3-assertion-jti", "Client assertion: a jti (replays can be refused)",
           "RFC 7523 §3; OpenID Connect Core 1.0 §9", Level.SHOULD,
           _assertion_rule(_jti, "a jti")),
    _check("RFC7523-3-assertion-short-lifetime",
           f"Client assertion: expires within {MAX_ASSERTION_LIFETIME_S:.0f} s of issue",
           "RFC 7523 §3", Level.SHOULD,
           _assertion_rule(_lifetime, f"exp - iat <= {MAX_ASSERTION_LIFETIME_S:.0f} s")),
)  # fmt: skip
