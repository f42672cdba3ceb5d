"""Token recipes of the live target, from the user's ``.env`` through oauthkit's loaders.

One service user per grant (CLIENT_PRIVATE_KEY_FILE_PATH, CLIENT_ID/CLIENT_SECRET,
PERSONAL_ACCESS_TOKEN). OTHER_AUDIENCE_SCOPES, when set, gives the scopes (RFC 6749 §3.3) for a
token meant for another audience (ZITADEL: ``urn:zitadel:iam:org:project:id:{id}:aud`` of
another project, zitadel-spec §4.2).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from harness.matrix import Grant, TokenFormat
from harness.targets.base import Holder
from harness.targets.tokens import Recipe, RecipeKey
from oauthkit.env import EnvSource
from oauthkit.settings import (
    ClientSettings,
    load_client_credentials_settings,
    load_jwt_client_settings,
    load_pat_settings,
)

Loader = Callable[[EnvSource], ClientSettings[Any]]
_LOADERS: dict[Grant, Loader] = {
    Grant.JWT_PROFILE: load_jwt_client_settings,
    Grant.CLIENT_CREDENTIALS: load_client_credentials_settings,
    Grant.PAT: load_pat_settings,
}


def live_recipes(env: EnvSource) -> dict[RecipeKey, Recipe]:
    """The role holders' recipes, in both formats (the variant decides which label applies)."""
    recipes: dict[RecipeKey, Recipe] = {}
    other = tuple((env.get("OTHER_AUDIENCE_SCOPES") or "").split())
    for grant, load in _LOADERS.items():
        for fmt in TokenFormat:
            recipes[(grant, Holder.ROLE, fmt)] = _loaded(env, load)
            if other and grant is not Grant.PAT:
                recipes[(grant, Holder.OTHER_AUDIENCE, fmt)] = _rescoped(env, load, other)
    return recipes


def _loaded(env: EnvSource, load: Loader) -> Recipe:
    return lambda: load(env)


def _rescoped(env: EnvSource, load: Loader, scopes: tuple[str, ...]) -> Recipe:
    return lambda: dataclasses.replace(load(env), scopes=scopes)
