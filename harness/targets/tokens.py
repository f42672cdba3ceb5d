"""Obtaining tokens through oauthkit's grants, caching them, and registering them as secrets.

The grants are RFC 7523 §2.1 (JWT profile), RFC 6749 §4.4 (client credentials) and a PAT used
as is; the harness never re-implements them. Each (grant, holder, format) has a *recipe*: a
function giving the client settings, which may raise `NotConfigured`/`NotApplicable`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.model.matrix import Grant, TokenFormat
from harness.model.skips import NotConfigured, config_problem
from harness.redaction import Redactor
from harness.targets.base import Holder, IssuedToken
from harness.targets.issuer_http import DiscoveryOnce
from harness.targets.recording import Recorded, recording_client
from oauthkit import ClientCredentialsGrant, ClientSettings, ConfigError, JwtProfileGrant, PatGrant

Recipe = Callable[[], ClientSettings[Any]]
RecipeKey = tuple[Grant, Holder, TokenFormat]
_GRANTS: dict[Grant, Any] = {
    Grant.JWT_PROFILE: JwtProfileGrant,
    Grant.CLIENT_CREDENTIALS: ClientCredentialsGrant,
    Grant.PAT: PatGrant,
}


@dataclass
class TokenBroker:
    """Gets tokens by recipe, keeps one per key, and tells the redactor about each.

    Thread-safe: checks running side by side ask for tokens at once; the first to ask for a
    key obtains it, the others wait for that one. ``transport`` reads discovery once.
    """

    redactor: Redactor
    recipes: dict[RecipeKey, Recipe] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    transport: DiscoveryOnce = field(default_factory=DiscoveryOnce)
    _cache: dict[RecipeKey, IssuedToken] = field(default_factory=dict)
    _locks: dict[RecipeKey, threading.Lock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def token(self, grant: Grant, holder: Holder, token_format: TokenFormat) -> IssuedToken:
        """The cached token for the key, obtained on first use."""
        key = (grant, holder, token_format)
        with self._lock:
            own = self._locks.setdefault(key, threading.Lock())
        with own:
            if key not in self._cache:
                self._cache[key] = self.fresh(grant, holder, token_format)
            return self._cache[key]

    def fresh(self, grant: Grant, holder: Holder, token_format: TokenFormat) -> IssuedToken:
        """A newly obtained token (not cached)."""
        recipe = self.recipes.get((grant, holder, token_format))
        if recipe is None:
            raise _no_recipe(grant, holder)
        try:
            settings = recipe()
        except ConfigError as exc:
            raise config_problem(exc) from None
        return self.obtain(grant, settings)

    def obtain(self, grant: Grant, settings: ClientSettings[Any]) -> IssuedToken:
        """A token by ``grant`` with these client settings (not cached)."""
        made: list[Recorded] = []
        with recording_client(self.redactor, made.append, self.transport) as http:
            token = _GRANTS[grant](settings, http).fetch(self.clock())
        self.redactor.add(token.access_token)
        return IssuedToken(token.access_token, token.token_type, token.expires_in, tuple(made))


def role_recipes(broker: TokenBroker) -> dict[Grant, Recipe]:
    """The role holders' opaque-token recipes by grant (for the harness's own issuer calls)."""
    return {
        grant: recipe
        for (grant, holder, fmt), recipe in broker.recipes.items()
        if holder is Holder.ROLE and fmt is TokenFormat.OPAQUE
    }


def _no_recipe(grant: Grant, holder: Holder) -> NotConfigured:
    if holder is Holder.OTHER_AUDIENCE:
        return NotConfigured(
            "OTHER_AUDIENCE_SCOPES",
            "OTHER_AUDIENCE_SCOPES is not set: give the scopes that get a token for another "
            "project's audience, e.g. urn:zitadel:iam:org:project:id:<other project id>:aud",
        )
    if holder is Holder.NO_ROLE:
        return NotConfigured(
            "NO_ROLE_SCOPES",
            "NO_ROLE_SCOPES is not set: give scopes that get the service user a token without "
            "the role (issuers whose roles are scopes), e.g. the audience scope alone",
        )
    return NotConfigured(
        "credentials", f"no credentials are configured for a {grant.label} token ({holder})"
    )
