"""Claims as ZITADEL builds them: introspection answers (RFC 7662 §2.2, spec §3.4), the extra
claims of JWT access tokens (RFC 9068 §2.2) and userinfo answers (OpenID Connect Core §5.3).

Pure functions: given a token record, its user and organisation, and the introspecting API app,
produce the JSON object. Roles are those the user holds *now* in the introspecting app's project,
as objects ``{role: {org_id: org_primary_domain}}`` under two claim names.

A JWT access token is signed once, so its roles are those held at issue time, and only when the
token request asked for them (ZITADEL's claims docs: "when JWT and requested"): a role scope
``urn:zitadel:iam:org:project:role:{key}`` or ``urn:zitadel:iam:org:projects:roles``, for the
projects of the ``...:aud`` scopes. Profile claims (``name``...) never go into an access token;
resource-owner and org-domain claims do when their scopes are requested. ZITADEL's code asserts
only the project-specific roles claim for service users (``projectID`` is empty for them); its
docs list ``urn:zitadel:iam:org:project:roles`` too, so the mock sets both, the generic one for
the first audience project.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mock_issuer.model import AppRecord, Org, Project, TokenRecord, UserRecord
from mock_issuer.scopes import (
    ORG_DOMAIN_PREFIX,
    ORG_ID_PREFIX,
    PROJECTS_ROLES,
    RESOURCE_OWNER,
    requested_roles,
    role_scope,
)

ROLES_CLAIM = "urn:zitadel:iam:org:project:roles"


def project_roles_claim(project_id: str) -> str:
    """The per-project roles claim name."""
    return f"urn:zitadel:iam:org:project:{project_id}:roles"


def role_claims(
    held: Iterable[str], *, requested: frozenset[str], project_id: str, org: Org
) -> dict[str, Any]:
    """Role claims for the roles held (narrowed to ``requested`` role scopes, if any)."""
    roles = sorted(r for r in held if not requested or r in requested)
    if not roles:
        return {}
    value = {role: {org.id: org.primary_domain} for role in roles}
    return {ROLES_CLAIM: value, project_roles_claim(project_id): dict(value)}


def audience_accepts(record: TokenRecord, app: AppRecord) -> bool:
    """ZITADEL's audience rule: ``aud`` holds the app's client id or its project id (PATs pass)."""
    return record.kind == "pat" or bool({app.client_id, app.project_id} & set(record.audience))


def effective_scopes_and_audience(
    record: TokenRecord, app: AppRecord, project: Project | None
) -> tuple[list[str], list[str]]:
    """Token scopes and audience; for a PAT, plus the app's ids and the project's role scopes."""
    scopes, aud = list(record.scopes), list(record.audience)
    if record.kind == "pat":
        aud += [app.client_id, app.project_id]
        scopes += [role_scope(r) for r in (project.roles if project else ())]
    return scopes, aud


def _profile_claims(user: UserRecord) -> dict[str, Any]:
    return {
        "name": user.name,
        "preferred_username": user.username,
        "updated_at": int(user.updated_at),
        "username": user.username,
    }


def _org_claims(scopes: Iterable[str], org: Org) -> dict[str, Any]:
    scopes = tuple(scopes)
    claims: dict[str, Any] = {}
    if RESOURCE_OWNER in scopes or any(s.startswith(ORG_ID_PREFIX) for s in scopes):
        claims["urn:zitadel:iam:user:resourceowner:id"] = org.id
        claims["urn:zitadel:iam:user:resourceowner:name"] = org.name
        claims["urn:zitadel:iam:user:resourceowner:primary_domain"] = org.primary_domain
    if any(s.startswith(ORG_DOMAIN_PREFIX) for s in scopes):
        claims["urn:zitadel:iam:org:domain:primary"] = org.primary_domain
    return claims


def _token_members(record: TokenRecord, aud: list[str], issuer: str) -> dict[str, Any]:
    members: dict[str, Any] = {}
    if record.client_id is not None:
        members["client_id"] = record.client_id
    issued_at = int(record.issued_at)
    members |= {
        "token_type": "Bearer",
        "exp": int(record.expires_at),
        "iat": issued_at,
        "auth_time": issued_at,
        "nbf": issued_at,
        "sub": record.user_id,
        "aud": aud,
        "iss": issuer,
        "jti": record.token_id,
    }
    if record.amr:
        members["amr"] = list(record.amr)
    return members


def active_response(
    *,
    record: TokenRecord,
    user: UserRecord,
    org: Org,
    app: AppRecord,
    project: Project | None,
    issuer: str,
) -> dict[str, Any]:
    """The full ``active: true`` introspection response."""
    scopes, aud = effective_scopes_and_audience(record, app, project)
    body: dict[str, Any] = {"active": True, "scope": " ".join(scopes)}
    body |= _token_members(record, aud, issuer)
    if "profile" in scopes:
        body |= _profile_claims(user)
    body |= _org_claims(scopes, org)
    held = user.grants.get(app.project_id, set())
    body |= role_claims(held, requested=requested_roles(scopes), project_id=app.project_id, org=org)
    return body


def access_token_claims(record: TokenRecord, user: UserRecord, org: Org) -> dict[str, Any]:
    """The claims a JWT access token carries beyond RFC 9068's, as its scopes ask for them."""
    claims = _org_claims(record.scopes, org)
    requested = requested_roles(record.scopes)
    if not requested and PROJECTS_ROLES not in record.scopes:
        return claims
    for project_id in record.audience:
        held = user.grants.get(project_id, set())
        found = role_claims(held, requested=requested, project_id=project_id, org=org)
        if found:
            specific = project_roles_claim(project_id)
            claims.setdefault(ROLES_CLAIM, found[ROLES_CLAIM])
            claims[specific] = found[specific]
    return claims


def userinfo_claims(record: TokenRecord, user: UserRecord, org: Org) -> dict[str, Any]:
    """The userinfo answer for a token (OpenID Connect Core 1.0 §5.3.2), as ZITADEL builds it.

    ``sub``; with ``profile`` a machine user's ``name``, ``preferred_username`` and
    ``updated_at`` (its email and phone are empty, so ``email``/``phone`` add nothing); the org
    and role claims as a JWT access token gets them, with the roles held now.
    """
    claims: dict[str, Any] = {"sub": record.user_id}
    if "profile" in record.scopes:
        profile = _profile_claims(user)
        claims |= {k: profile[k] for k in ("name", "preferred_username", "updated_at")}
    return claims | access_token_claims(record, user, org)
