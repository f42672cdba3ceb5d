"""The lying issuer: well-formed HTTP, wrong answers; the API owes a refusal to each.

RFC 7662 §2.2 defines the answer: a JSON object (RFC 8259, UTF-8) whose `active` is a JSON
boolean. The mock issuer computes the true answer for a valid token, then bends it in one way.
Never 200, never a 500: the token's fault (expired, not for this API, not an access token) is
401 `invalid_token` (RFC 6750 §3.1); an answer that cannot be trusted at all (malformed, too
big, too slow, compressed, redirected) is the issuer's fault, RFC 9110 §15.6.4 503. A 2xx is
*fail-open* where an RFC makes the API refuse; where the answer still says the token is active
in a form an RFC lets a receiver read (late, big, compressed, mislabelled, a member twice) it
fails at SHOULD; a refusal with the other of 401/503 fails at SHOULD. The cases are the mock's
`LieKind`: each lie carries its refusal (title, RFC sections, the status owed, whether it is
judged on the route that needs a role). Why each lie is whose fault is in `docs/harness.md`
("The lying issuer").

The answer does not depend on how the token was obtained, so the checks run in the
client-credentials cells (one per API, both token formats), not in all six.
"""

from __future__ import annotations

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
from harness.checks.expect import describe, fail_open, graded, is_success
from harness.model.matrix import Grant, TokenFormat
from harness.model.results import Level, Outcome, Status
from harness.model.routes import Route
from harness.model.skips import NotApplicable
from harness.subjects.process import SubjectStartError
from harness.targets.base import MockControls
from mock_issuer import LieKind

REFUSALS = (401, 403, 503)
ONE_CELL = frozenset({Grant.CLIENT_CREDENTIALS})
ONE_CELL_REASON = "the issuer's answer is judged once per API, in the client-credentials cell"


# Lies whose answer, however odd its delivery, says the (valid) token is active in words an RFC
# lets a receiver read that way: late, huge, compressed, mislabelled, a member twice (RFC 8259
# §4 leaves the choice open). Refusing is the harness's robustness rule; no RFC requires it, so
# a 2xx fails at SHOULD, not fail-open (as a slow issuer's answer always has).
READABLE = frozenset(
    {
        LieKind.DRIP_BODY,
        LieKind.DRIP_HEADERS,
        LieKind.HUGE_BODY,
        LieKind.COMPRESSED_BOMB,
        LieKind.JSON_AS_HTML,
        LieKind.ACTIVE_DUPLICATE,
    }
)
READ_AS_ACTIVE = (
    "Graded SHOULD, not fail-open: the answer said the (valid) token is active in a form an RFC "
    "lets a receiver read; refusing it is the harness's robustness rule (docs/harness.md)."
)
# Lies that take the API a while to refuse: a deadline waited out, a big body read.
SLOW = frozenset(
    {LieKind.DRIP_BODY, LieKind.DRIP_HEADERS, LieKind.HUGE_BODY, LieKind.COMPRESSED_BOMB}
)
HEAVY = frozenset({LieKind.HUGE_BODY, LieKind.COMPRESSED_BOMB, LieKind.DEEP_NESTING})
# A 5000-digit number in a member RFC 8414 does not define: the document is valid JSON (RFC 8259
# §6; §9 lets a parser accept or limit it), so an API that reads it and works is right too.
USABLE = frozenset({LieKind.DISCOVERY_HUGE_NUMBER})
UNTOLD = "the API never asked for the answer this lie bends (it reads no discovery document)"
NOT_ASKED = "the API did not ask the issuer about the token, asked twice (no answer to bend)"
NOT_STARTED = (
    "Graded SHOULD: the API refused the discovery document by not starting (it did not use its "
    "data, RFC 8414 §3.3), so it is down where a running API would answer 503."
)


def judge(ctx: CheckContext, reply: Reply, owed: int, lie: LieKind | None = None) -> Outcome:
    """Grade a reply to a lie: the owed refusal passes; a 2xx is fail-open (SHOULD for the
    :data:`READABLE` lies, a pass for the :data:`USABLE` ones); 401/403/503 where another of
    them fits fails at SHOULD; anything else (a 500, no answer) fails at MUST."""
    expected = f"HTTP {owed} (a refusal; never 2xx, never 500)"
    actual = describe(reply)
    if reply.status == owed or (lie in USABLE and is_success(reply)):
        return ctx.outcome(Status.PASSED, expected, actual)
    if is_success(reply) and lie in READABLE:
        return graded(ctx.outcome(Status.FAILED, expected, actual), Level.SHOULD, READ_AS_ACTIVE)
    if is_success(reply):
        return fail_open(ctx, expected, actual, "The issuer's answer had to be refused.")
    failed = ctx.outcome(Status.FAILED, expected, actual)
    if reply.status in REFUSALS:
        why = f"Refused, but with {reply.status} where {owed} fits (see docs/harness.md)."
        return graded(failed, Level.SHOULD, why)
    return failed


def _on_unread_instance(
    ctx: CheckContext, mock: MockControls, lie: LieKind, asked: tuple[Route, str, int]
) -> Reply | Outcome:
    """The answer of an instance that read the lying document: discovery is read once per
    process, so the instance kept from the lie before (it refused that document, a failure is
    not cached) or, where that one did not read it again, a new one. ``asked``: the route,
    the token, and how often the lie had been told before."""
    path, token, told = asked
    for renew in (False, True):
        try:
            with ctx.target.discovery_api(ctx.variant.cell.mechanism, renew) as (base_url, new):
                reply = ctx.call(path, f"Bearer {token}", base_url=base_url)
        except SubjectStartError as error:
            return _not_started(ctx, lie.refusal.status, error)
        if new or mock.lie_told(lie) != told:
            break  # told, or untold by a new instance too (it reads no discovery)
    return reply


def _not_started(ctx: CheckContext, owed: int, error: SubjectStartError) -> Outcome:
    expected = f"HTTP {owed} (a refusal; never 2xx, never 500)"
    failed = ctx.outcome(Status.FAILED, expected, f"the API did not start: {error}")
    return graded(failed, Level.SHOULD, NOT_STARTED)


def _route(ctx: CheckContext, lie: LieKind) -> Route:
    """The subject's route the lie is judged on; not applicable where the lie cannot apply."""
    if lie.fresh and ctx.variant.token_format is not TokenFormat.OPAQUE:
        raise NotApplicable("discovery does not depend on the token: judged with opaque ones")
    path = ctx.routes.scoped if lie.refusal.needs_role else ctx.routes.private
    if path is None:
        raise NotApplicable("the subject has no route that needs a role")
    return path


def _lying(lie: LieKind) -> CheckFn:
    owed = lie.refusal

    def check(ctx: CheckContext) -> Outcome:
        mock = ctx.target.mock
        if mock is None:
            raise NotApplicable("a lying issuer needs the mock issuer")
        path = _route(ctx, lie)
        # A token the API has never seen (no cached answer stands in for the lie), obtained
        # before the lie.
        token = ctx.target.fresh_token(ctx.variant).access_token
        # About that token alone (checks beside this one get true answers); a discovery lie
        # cannot be: discovery names no token (those checks run one at a time, and no other
        # instance of the API reads discovery meanwhile: the mock's discovery guard).
        scope = None if lie.fresh else token
        told = mock.lie_told(lie, scope)
        if lie.fresh:
            with mock.discovery.bending(), mock.lie(lie):  # nobody else reads discovery now
                answer = _on_unread_instance(ctx, mock, lie, (path, token, told))
            if isinstance(answer, Outcome):
                return answer
            reply = answer
        else:
            with mock.lie(lie, scope):
                for _ in range(2):  # not asked: a kept connection the issuer closed lost it?
                    reply = ctx.call(path, f"Bearer {token}", base_url=ctx.api_url)
                    if mock.lie_told(lie, scope) != told:
                        break
        if mock.lie_told(lie, scope) == told:
            raise NotApplicable(UNTOLD if lie.fresh else NOT_ASKED)
        return judge(ctx, reply, owed.status, lie)

    check.__doc__ = f"The issuer answers {owed.title}: the API owes {owed.status}."
    return check


def _sharing(lie: LieKind) -> Sharing:
    """Discovery lies one at a time; the heavy ones (big bodies, deep JSON) with nothing beside
    them, whose introspections would miss the API's deadline behind all that work."""
    if lie.fresh:
        return Sharing.DISCOVERY
    return Sharing.ALONE if lie in HEAVY else Sharing.SIDE_BY_SIDE


def check_id(lie: LieKind) -> str:
    """``RFC<n>-<section>-lie-<slug>``, after the first RFC section the lie's refusal cites."""
    owed = lie.refusal
    number, _, section = owed.rfc.split(";")[0].removeprefix("RFC ").partition(" §")
    return f"RFC{number}-{section.split(' ')[0]}-lie-{owed.slug}"


CHECKS = tuple(
    Check(
        check_id(lie),
        f"Issuer lies ({lie.refusal.title}): {lie.refusal.status}",
        lie.refusal.rfc,
        Level.MUST,
        Where.MOCK,
        _lying(lie),
        grants=ONE_CELL,
        other_grants_reason=ONE_CELL_REASON,
        mechanisms=INTROSPECTING,
        other_mechanisms_reason=ONLY_INTROSPECTION + " (nor trusts an introspection answer)",
        injects=f"the harness makes the issuer lie on purpose ({lie.refusal.title})",
        sharing=_sharing(lie),
        waits=lie.fresh or lie in SLOW or lie in HEAVY,
    )
    for lie in LieKind
)
