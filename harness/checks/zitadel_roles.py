"""ZITADEL's role model (docs/zitadel-spec.md §4.4): which roles claim counts for this API.

ZITADEL names a project's roles in ``urn:zitadel:iam:org:project:{projectId}:roles`` and, per
its docs, in ``urn:zitadel:iam:org:project:roles``, which names no project. The mock issues
each shape (``mock_issuer.RoleShape``: JWT access tokens and introspection answers alike) and
the harness asks for the scoped route: the project's own claim alone and the generic claim
alone hold the role (200; the generic one at SHOULD, since insisting on the own claim is only
stricter); the roles under another project's claim only, a token whose audience names this
project while the role is granted in another one (a service user may ask for any audience,
§4.2), and a roles claim of the wrong type (null, a number, the object in a list, keyed by
organisation) do not (RFC 6750 §3.1: 403 ``insufficient_scope``; a 2xx is *fail-open*, a 500
fails at MUST, another refusal at SHOULD). Judged once per API, in the client-credentials cell.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from harness.checks.base import Check, CheckContext, Reply, Sharing, Where
from harness.checks.expect import expect_status, graded
from harness.checks.lies import ONE_CELL, ONE_CELL_REASON, judge
from harness.checks.roles import scoped_route
from harness.model.results import Level, Outcome, Status
from harness.model.routes import Route
from harness.model.skips import NotApplicable
from harness.targets.base import MockControls
from mock_issuer import RoleShape

WRONG_SHAPES = (RoleShape.NULL, RoleShape.NUMBER, RoleShape.MAP_IN_LIST, RoleShape.NESTED_BY_ORG)
_RFC = "RFC 6750 §3.1; docs/zitadel-spec.md §4.4"


def _premise(ctx: CheckContext) -> tuple[MockControls, Route]:
    """The mock's controls and the scoped route, where the mock's role is the route's."""
    mock = ctx.target.mock
    if mock is None:
        raise NotApplicable("needs the mock issuer, which issues the roles in each shape")
    path, role = scoped_route(ctx), ctx.routes.role
    if role not in ctx.target.expected_roles(ctx.grant):
        raise NotApplicable(f"the mock's service users hold read:messages, not {role}")
    return mock, path


def _shaped(ctx: CheckContext, shape: RoleShape) -> Reply:
    """The scoped route, with a new token whose roles (token and answer) are in ``shape``."""
    mock, path = _premise(ctx)
    with mock.role_shape(shape):
        token = ctx.target.fresh_token(ctx.variant).access_token
        return ctx.call(path, f"Bearer {token}")


def _noted(outcome: Outcome, shape: RoleShape) -> Outcome:
    return dataclasses.replace(outcome, detail=f"Roles: {shape.title}. {outcome.detail}".strip())


def project_claim_alone(ctx: CheckContext) -> Outcome:
    """Only ``urn:zitadel:iam:org:project:{projectId}:roles`` holds the role: 200."""
    shape = RoleShape.PROJECT_CLAIM_ONLY
    return _noted(expect_status(ctx, _shaped(ctx, shape), 200), shape)


def generic_claim_alone(ctx: CheckContext) -> Outcome:
    """Only ``urn:zitadel:iam:org:project:roles`` holds the role: 200 (a refusal: SHOULD)."""
    shape = RoleShape.GENERIC_CLAIM_ONLY
    reply = _shaped(ctx, shape)
    outcome = expect_status(ctx, reply, 200)
    if outcome.status is Status.FAILED and reply.status in (401, 403):
        why = "Refused: the API reads only its project's scoped claim (stricter than needed)."
        outcome = graded(outcome, Level.SHOULD, why)
    return _noted(outcome, shape)


def other_project_only(ctx: CheckContext) -> Outcome:
    """The role only under another project's scoped claim: 403."""
    shape = RoleShape.OTHER_PROJECT_ONLY
    return _noted(judge(ctx, _shaped(ctx, shape), 403), shape)


def audience_without_grant(ctx: CheckContext) -> Outcome:
    """This project in the token's audience, the role granted in another project only: 403."""
    mock, path = _premise(ctx)
    token = mock.other_project_role_token(ctx.variant.token_format)
    outcome = judge(ctx, ctx.call(path, f"Bearer {token}"), 403)
    detail = "Its JWT carries the other project's roles (the generic claim too); aud names both."
    return dataclasses.replace(outcome, detail=f"{detail} {outcome.detail}".strip())


def wrong_shape(ctx: CheckContext) -> Outcome:
    """Each roles claim null, a number, the object in a list, keyed by organisation: 403 each."""
    outcomes = [_noted(judge(ctx, _shaped(ctx, shape), 403), shape) for shape in WRONG_SHAPES]
    return next((o for o in outcomes if o.status is Status.FAILED), outcomes[-1])


_ONE: dict[str, Any] = {"grants": ONE_CELL, "other_grants_reason": ONE_CELL_REASON}
# The role shape holds for every new token and answer while it is on: nothing runs beside.
_ALONE: dict[str, Any] = {**_ONE, "sharing": Sharing.ALONE}
CHECKS = (
    Check("ZITADEL-roles-project-claim-alone",
          "The role in the project's own scoped claim alone: 200 on the scoped route",
          _RFC, Level.MUST, Where.MOCK, project_claim_alone, **_ALONE),
    Check("ZITADEL-roles-generic-claim-alone",
          "The role in the generic urn:zitadel:iam:org:project:roles alone: 200",
          _RFC, Level.SHOULD, Where.MOCK, generic_claim_alone, **_ALONE),
    Check("ZITADEL-roles-other-project-only",
          "The role only in another project's scoped claim: 403 insufficient_scope",
          _RFC, Level.MUST, Where.MOCK, other_project_only, **_ALONE),
    Check("ZITADEL-roles-audience-without-grant",
          "The project in aud, the role granted in another project only: 403",
          _RFC + "; §4.2", Level.MUST, Where.MOCK, audience_without_grant, **_ONE),
    Check("ZITADEL-roles-wrong-shape",
          "A roles claim of the wrong type (null, 42, [{...}], keyed by org): 403, never 500",
          _RFC, Level.MUST, Where.MOCK, wrong_shape, **_ALONE),
)  # fmt: skip
