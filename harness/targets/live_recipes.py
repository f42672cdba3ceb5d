"""Token recipes of the live target, from the user's ``.env`` through oauthkit's loaders.

One service user per grant (CLIENT_PRIVATE_KEY_FILE_PATH, CLIENT_ID/CLIENT_SECRET,
PERSONAL_ACCESS_TOKEN). Optional scope sets (RFC 6749 §3.3) get the same users other tokens:
OTHER_AUDIENCE_SCOPES one meant for another audience (ZITADEL: another project's
``urn:zitadel:iam:org:project:id:{id}:aud``, zitadel-spec §4.2), NO_ROLE_SCOPES one without the
role (issuers whose roles are scopes), JWT_ACCESS_TOKEN_SCOPES a JWT access token (RFC 9068,
issuers that choose the format by request). A PAT is fixed: it has none of these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from harness.model.matrix import Grant, TokenFormat
from harness.targets.base import Holder
from harness.targets.tokens import Recipe, RecipeKey
from oauthkit import (
    ClientSettings,
    EnvSource,
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


RESCOPED_HOLDERS = {
    Holder.OTHER_AUDIENCE: "OTHER_AUDIENCE_SCOPES",
    Holder.NO_ROLE: "NO_ROLE_SCOPES",
}


def live_recipes(env: EnvSource) -> dict[RecipeKey, Recipe]:
    """Every recipe the ``.env`` allows, in both formats (the variant picks the label)."""
    recipes: dict[RecipeKey, Recipe] = {}
    jwt = _scopes(env, "JWT_ACCESS_TOKEN_SCOPES")
    for grant, load in _LOADERS.items():
        for fmt in TokenFormat:
            recipes[(grant, Holder.ROLE, fmt)] = _loaded(env, load)
            if grant is Grant.PAT:
                continue
            for holder, variable in RESCOPED_HOLDERS.items():
                if scopes := _scopes(env, variable):
                    recipes[(grant, holder, fmt)] = _rescoped(env, load, scopes)
        if jwt and grant is not Grant.PAT:
            recipes[(grant, Holder.ROLE, TokenFormat.JWT)] = _rescoped(env, load, jwt)
    return recipes


def _scopes(env: EnvSource, name: str) -> tuple[str, ...]:
    return tuple((env.get(name) or "").split())


def _loaded(env: EnvSource, load: Loader) -> Recipe:
    return lambda: load(env)


def _rescoped(env: EnvSource, load: Loader, scopes: tuple[str, ...]) -> Recipe:
    return lambda: dataclasses.replace(load(env), scopes=scopes)
