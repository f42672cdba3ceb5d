"""Sample APIs broken on purpose for ZITADEL's role model (docs/zitadel-spec.md §4.4).

Each reads the roles claims one wrong way, as resource servers written for ZITADEL have: only
the generic claim (so a token with the project's own claim alone is refused), any project's
scoped claim (so another project's role passes), the generic claim as a fallback even beside
another project's claim (so a role granted elsewhere passes through the audience), or the claim
as an object without looking (a 500 for a claim of another type). Module-level factories, so
they pickle into worker processes (see `broken_apis.py`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import httpx
import jwt
from starlette.types import ASGIApp

from oauthkit import ZITADEL_ROLES_CLAIM, ApiSettings, LocalJwtValidator, Principal
from oauthkit.validation import roles_of

from .broken_apis import _create, _local_jwt_api
from .broken_lies import _Rewriting

_SCOPED = re.compile(r"urn:zitadel:iam:org:project:[^:]+:roles")


def reads_only_the_generic_claim(settings: ApiSettings[Any]) -> ASGIApp:
    """The introspecting sample without its project's claim: only the generic one counts."""
    policy = dataclasses.replace(settings.policy, project_roles_claim=None)
    return _create(dataclasses.replace(settings, policy=policy))


class _AnyProjectsRoles(_Rewriting):
    """Merges every project's scoped roles claim into the generic one before the API reads it."""

    async def answer(self, response: httpx.Response) -> httpx.Response:
        body = json.loads(await response.aread())
        if not isinstance(body, dict) or response.status_code != 200:
            return httpx.Response(response.status_code, json=body)
        merged: dict[str, Any] = {}
        for name, value in body.items():
            if _SCOPED.fullmatch(name) and isinstance(value, dict):
                merged |= value
        clean = {k: v for k, v in body.items() if not _SCOPED.fullmatch(k)}
        return httpx.Response(200, json={**clean, ZITADEL_ROLES_CLAIM: merged} if merged else body)


def reads_any_projects_roles(settings: ApiSettings[Any]) -> ASGIApp:
    """The introspecting sample, but a role in any project's scoped claim counts."""
    return _create(settings, transport=_AnyProjectsRoles())


class _GenericFallback(LocalJwtValidator):
    """Roles from the project's own claim, else the generic one, whatever else is there."""

    async def validate(self, token: str, now: float) -> Principal:
        principal = await super().validate(token, now)
        claims = jwt.decode(token, options={"verify_signature": False})  # verified just above
        own = self.policy.project_roles_claim
        source = claims[own] if own in claims else claims.get(ZITADEL_ROLES_CLAIM)
        return dataclasses.replace(principal, roles=roles_of(source) | frozenset(principal.scope))


def falls_back_to_the_generic_claim(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt, but the generic claim counts beside another project's claim."""
    return _local_jwt_api(settings, _GenericFallback)


class _TakesRolesAsAnObject(LocalJwtValidator):
    """Reads the roles claim's keys without checking it is an object (None has no keys)."""

    async def validate(self, token: str, now: float) -> Principal:
        principal = await super().validate(token, now)
        claims = jwt.decode(token, options={"verify_signature": False})  # verified just above
        own = self.policy.project_roles_claim
        if own in claims:
            found = claims[own]
        elif any(_SCOPED.fullmatch(name) for name in claims):
            found = {}
        else:
            found = claims.get(ZITADEL_ROLES_CLAIM, {})
        return dataclasses.replace(principal, roles=frozenset(found.keys()))


def crashes_on_a_roles_claim_of_another_type(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt, but a roles claim that is no object is an unhandled exception (500)."""
    return _local_jwt_api(settings, _TakesRolesAsAnObject)
