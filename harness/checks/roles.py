"""Role checks: ``/api/private-scoped`` needs the role ``read:messages``.

RFC 6750 §3.1: a valid token without the needed scope gets 403 ``insufficient_scope``; the
challenge MAY name the scope (RFC 6750 §3), which our samples promise. ZITADEL carries roles in
``urn:zitadel:iam:org:project:roles``, generic issuers in ``scope`` (RFC 6749 §3.3), where
asking for fewer scopes (NO_ROLE_SCOPES) gives the same user a token without the role.
"""

from __future__ import annotations

from harness.checks.base import Check, CheckContext, Where
from harness.checks.expect import describe, expect_bearer_error, expect_status, parse_challenge
from harness.model.matrix import Grant
from harness.model.results import Level, Outcome, Status
from harness.model.routes import Route
from harness.model.skips import NotApplicable, NotConfigured
from harness.targets.base import Holder


def scoped_route(ctx: CheckContext) -> Route:
    """The scoped route, or NotApplicable when the API (a subject) has none."""
    if ctx.routes.scoped is None:
        raise NotApplicable("the subject file names no scoped route (routes.scoped)")
    return ctx.routes.scoped


def holder_without_role(ctx: CheckContext) -> Holder:
    """Whose token lacks the role.

    Mock: a dedicated user. Live: the configured user if it lacks the role, else the same user
    asking with NO_ROLE_SCOPES (issuers whose roles are scopes); a PAT's roles are fixed.
    """
    role = ctx.routes.role
    if ctx.target.mock is not None:
        return Holder.NO_ROLE
    if role not in ctx.target.expected_roles(ctx.grant):
        return Holder.ROLE
    holds = f"the {ctx.grant.label} service user holds {role} (see EXPECTED_ROLES_*)"
    if ctx.grant is Grant.PAT:
        raise NotApplicable(f"{holds}, and a PAT's roles cannot be narrowed by scopes")
    try:
        ctx.target.token(ctx.variant, Holder.NO_ROLE)
    except NotConfigured:
        raise NotApplicable(
            f"{holds}; set NO_ROLE_SCOPES if your issuer can give it a token without the role"
        ) from None
    return Holder.NO_ROLE


def role_present(ctx: CheckContext) -> Outcome:
    """A token of a user holding the role: 200 on the scoped route."""
    path, role = scoped_route(ctx), ctx.routes.role
    if role not in ctx.target.expected_roles(ctx.grant):
        raise NotApplicable(f"the {ctx.grant.label} service user does not hold {role}")
    return expect_status(ctx, ctx.call(path, f"Bearer {ctx.token()}"), 200)


def role_absent(ctx: CheckContext) -> Outcome:
    """A token of a user without the role: 403 insufficient_scope."""
    path = scoped_route(ctx)
    token = ctx.token(holder_without_role(ctx))
    return expect_bearer_error(ctx, ctx.call(path, f"Bearer {token}"), 403, "insufficient_scope")


def challenge_names_scope(ctx: CheckContext) -> Outcome:
    """Whether the 403 challenge names the needed scope: informational (RFC 6750 §3: MAY).

    Recorded, never failed: naming it helps the caller ask for the right scope.
    """
    path, role = scoped_route(ctx), ctx.routes.role
    token = ctx.token(holder_without_role(ctx))
    reply = ctx.call(path, f"Bearer {token}")
    if reply.status != 403:
        raise NotApplicable("the answer was no 403 (see RFC6750-3.1-insufficient-scope)")
    challenge = parse_challenge(reply.challenge)
    scopes = (challenge.params.get("scope", "") if challenge else "").split()
    named = f'names scope="{role}"' if role in scopes else "names no scope (allowed: MAY)"
    expected = f'informational: whether the 403 challenge names scope="{role}"'
    return ctx.outcome(Status.PASSED, expected, describe(reply), f"The challenge {named}.")


CHECKS = (
    Check("RFC6750-3.1-role-present", "A token with the role: 200 on /api/private-scoped",
          "RFC 6750 §3.1", Level.MUST, Where.BOTH, role_present),
    Check("RFC6750-3.1-insufficient-scope",
          "A token without the role: 403 insufficient_scope on /api/private-scoped",
          "RFC 6750 §3.1", Level.MUST, Where.BOTH, role_absent),
    Check("RFC6750-3-challenge-names-scope",
          "Informational: whether the insufficient_scope challenge names the needed scope",
          "RFC 6750 §3", Level.MAY, Where.BOTH, challenge_names_scope),
)  # fmt: skip
