"""Scopes and audience for service users, as ZITADEL computes them (RFC 6749 §3.3).

ZITADEL keeps the standard OpenID scopes and its reserved ``urn:zitadel:iam:...`` scopes and
drops everything else silently (no ``invalid_scope``). The token audience of a service user
starts empty and gets one project id per ``urn:zitadel:iam:org:project:id:{id}:aud`` scope;
``{id}`` = ``zitadel`` stands for the instance's own project.
"""

from __future__ import annotations

from collections.abc import Iterable

from mock_issuer.model import Org

STANDARD_SCOPES = frozenset({"openid", "profile", "email", "phone", "address", "offline_access"})
AUDIENCE_PREFIX = "urn:zitadel:iam:org:project:id:"
AUDIENCE_SUFFIX = ":aud"
ROLE_PREFIX = "urn:zitadel:iam:org:project:role:"
PROJECTS_ROLES = "urn:zitadel:iam:org:projects:roles"
ORG_ID_PREFIX = "urn:zitadel:iam:org:id:"
ORG_DOMAIN_PREFIX = "urn:zitadel:iam:org:domain:primary:"
RESOURCE_OWNER = "urn:zitadel:iam:user:resourceowner"
METADATA = "urn:zitadel:iam:user:metadata"
ZITADEL_PROJECT_ALIAS = "zitadel"

_RESERVED_PREFIXES = (
    AUDIENCE_PREFIX,
    ROLE_PREFIX,
    ORG_ID_PREFIX,
    ORG_DOMAIN_PREFIX,
    "urn:zitadel:iam:org:roles:id:",
    "urn:zitadel:iam:org:idp:id:",
)
_RESERVED_EXACT = frozenset({PROJECTS_ROLES, RESOURCE_OWNER, METADATA})

# Scopes ZITADEL stores on a PAT (management API AddPersonalAccessToken).
PAT_SCOPES = ("openid", METADATA, RESOURCE_OWNER)


def split_scope(scope: str) -> tuple[str, ...]:
    """The space-separated scope tokens, without blanks or repeats, in request order."""
    return tuple(dict.fromkeys(s for s in scope.split(" ") if s))


def is_allowed(scope: str) -> bool:
    """Whether a service user may request ``scope`` (others are dropped, not refused)."""
    return (
        scope in STANDARD_SCOPES
        or scope in _RESERVED_EXACT
        or any(scope.startswith(p) and len(scope) > len(p) for p in _RESERVED_PREFIXES)
    )


def _belongs_to_org(scope: str, org: Org) -> bool:
    if scope.startswith(ORG_ID_PREFIX):
        return scope.removeprefix(ORG_ID_PREFIX) == org.id
    if scope.startswith(ORG_DOMAIN_PREFIX):
        return scope.removeprefix(ORG_DOMAIN_PREFIX) == org.primary_domain
    return True


def granted_scopes(requested: str, org: Org) -> tuple[str, ...]:
    """The scopes a token gets: allowed ones, minus org scopes naming another organisation."""
    return tuple(s for s in split_scope(requested) if is_allowed(s) and _belongs_to_org(s, org))


def audience(scopes: Iterable[str], zitadel_project_id: str) -> tuple[str, ...]:
    """Project ids from the ``...:project:id:{id}:aud`` scopes, deduplicated, in order."""
    ids = []
    for scope in scopes:
        if scope.startswith(AUDIENCE_PREFIX) and scope.endswith(AUDIENCE_SUFFIX):
            project_id = scope[len(AUDIENCE_PREFIX) : -len(AUDIENCE_SUFFIX)]
            if project_id:
                ids.append(
                    zitadel_project_id if project_id == ZITADEL_PROJECT_ALIAS else project_id
                )
    return tuple(dict.fromkeys(ids))


def requested_roles(scopes: Iterable[str]) -> frozenset[str]:
    """Role keys named by ``urn:zitadel:iam:org:project:role:{key}`` scopes."""
    return frozenset(s.removeprefix(ROLE_PREFIX) for s in scopes if s.startswith(ROLE_PREFIX))


def role_scope(role: str) -> str:
    """The scope that asks for one role."""
    return ROLE_PREFIX + role
