"""Token recipes of the mock target: which service user and scopes give which token.

The role holders' recipes come from the mock's ``.env`` through oauthkit's loaders, exactly as
for a live instance; the others (role-less users, JWT-format users, another project's audience
via ZITADEL's ``urn:zitadel:iam:org:project:id:{id}:aud`` scope, zitadel-spec §4.2) are built
from the provisioned users. Scopes per RFC 6749 §3.3.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from harness.model.matrix import Grant, TokenFormat
from harness.targets.base import Holder
from harness.targets.tokens import Recipe, RecipeKey
from mock_issuer import Provisioned, ServiceUser
from oauthkit import (
    ClientSecret,
    ClientSettings,
    EnvSource,
    PersonalAccessToken,
    audience_scope,
    load_client_credentials_settings,
    load_jwt_client_settings,
    load_pat_settings,
    parse_key_file,
)

OPAQUE, JWT = TokenFormat.OPAQUE, TokenFormat.JWT


def mock_recipes(
    env: EnvSource, world: Provisioned, jwt_users: dict[Holder, ServiceUser]
) -> dict[RecipeKey, Recipe]:
    """Every (grant, holder, format) the mock target can issue."""
    recipes: dict[RecipeKey, Recipe] = {
        (Grant.JWT_PROFILE, Holder.ROLE, OPAQUE): lambda: load_jwt_client_settings(env),
        (Grant.CLIENT_CREDENTIALS, Holder.ROLE, OPAQUE): lambda: load_client_credentials_settings(
            env
        ),
        (Grant.PAT, Holder.ROLE, OPAQUE): lambda: load_pat_settings(env),
    }
    base = load_jwt_client_settings(env)
    for grant in (Grant.JWT_PROFILE, Grant.CLIENT_CREDENTIALS, Grant.PAT):
        recipes[(grant, Holder.NO_ROLE, OPAQUE)] = _fixed(base, grant, world.norole_user)
    for holder, user in jwt_users.items():
        for grant in (Grant.JWT_PROFILE, Grant.CLIENT_CREDENTIALS):
            recipes[(grant, holder, JWT)] = _fixed(base, grant, user)
    other = ("openid", audience_scope(world.other_project.id))
    for (grant, holder, fmt), recipe in list(recipes.items()):
        if holder is Holder.ROLE and grant is not Grant.PAT:
            recipes[(grant, Holder.OTHER_AUDIENCE, fmt)] = _rescoped(recipe, other)
    return recipes


def _fixed(base: ClientSettings[Any], grant: Grant, user: ServiceUser) -> Recipe:
    settings = dataclasses.replace(base, credentials=_credentials(grant, user))
    return lambda: settings


def _rescoped(recipe: Recipe, scopes: tuple[str, ...]) -> Recipe:
    return lambda: dataclasses.replace(recipe(), scopes=scopes)


def _credentials(grant: Grant, user: ServiceUser) -> Any:
    if grant is Grant.JWT_PROFILE:
        return parse_key_file(user.key_file, source=f"mock user {user.username}")
    if grant is Grant.CLIENT_CREDENTIALS:
        return ClientSecret(user.username, user.client_secret or "")
    return PersonalAccessToken(user.pat or "")
