"""Roles in other shapes than the mock's usual two claims, for checks of ZITADEL's role model.

ZITADEL puts a project's roles under ``urn:zitadel:iam:org:project:{projectId}:roles`` and, in
its docs, also under ``urn:zitadel:iam:org:project:roles``; both are objects keyed by role
(``docs/zitadel-spec.md`` §2.4, §4.3). Switched on with ``issuer.role_shape(RoleShape.X)``, the
JWT access tokens issued and the introspection answers given carry the roles of the project
they are about (the token's audience project holding roles; the introspecting app's project)
in one other shape. A shape is a data table row: its name in reports, and how it rewrites the
claims.
"""

from __future__ import annotations

import enum
import re
from typing import Any

GENERIC = "urn:zitadel:iam:org:project:roles"
SCOPED = re.compile(r"urn:zitadel:iam:org:project:(.+):roles")
OTHER_PROJECT_ID = "999999999999999998"


def scoped_claim(project_id: str) -> str:
    """The per-project roles claim name."""
    return f"urn:zitadel:iam:org:project:{project_id}:roles"


class RoleShape(enum.Enum):
    """How the roles are carried (a data table: slug, what it is)."""

    PROJECT_CLAIM_ONLY = ("project-claim-only", "the project's own scoped claim alone")
    GENERIC_CLAIM_ONLY = ("generic-claim-only", "the generic claim alone")
    OTHER_PROJECT_ONLY = ("other-project-only", "the roles under another project's claim only")
    NULL = ("null", "each roles claim null")
    NUMBER = ("number", "each roles claim the number 42")
    MAP_IN_LIST = ("map-in-list", "each roles claim a list holding the usual object")
    NESTED_BY_ORG = ("nested-by-org", "each roles claim keyed by organisation, then by role")

    @property
    def slug(self) -> str:
        """The shape's name in check details."""
        return str(self.value[0])

    @property
    def title(self) -> str:
        """What the shape is, in words."""
        return str(self.value[1])


def _roles_of(claims: dict[str, Any], project_id: str) -> dict[str, Any]:
    value = claims.get(scoped_claim(project_id), claims.get(GENERIC))
    return value if isinstance(value, dict) else {}


def reshape(claims: dict[str, Any], shape: RoleShape, project_id: str) -> dict[str, Any]:
    """``claims`` (a token's or an answer's) with the roles of ``project_id`` in ``shape``."""
    roles = _roles_of(claims, project_id)
    kept = {k: v for k, v in claims.items() if k != GENERIC and not SCOPED.fullmatch(k)}
    if not roles:
        return claims
    if shape is RoleShape.PROJECT_CLAIM_ONLY:
        return {**kept, scoped_claim(project_id): roles}
    if shape is RoleShape.GENERIC_CLAIM_ONLY:
        return {**kept, GENERIC: roles}
    if shape is RoleShape.OTHER_PROJECT_ONLY:
        return {**kept, scoped_claim(OTHER_PROJECT_ID): roles}
    wrong: Any = {
        RoleShape.NULL: None,
        RoleShape.NUMBER: 42,
        RoleShape.MAP_IN_LIST: [roles],
        RoleShape.NESTED_BY_ORG: {"org": roles},
    }[shape]
    return {**kept, GENERIC: wrong, scoped_claim(project_id): wrong}


def roles_project(claims: dict[str, Any], audience: tuple[str, ...]) -> str | None:
    """The audience project whose roles a token carries (the first that has a scoped claim)."""
    return next((p for p in audience if scoped_claim(p) in claims), None)
