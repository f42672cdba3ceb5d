"""How long an API itself takes to see a change, as stated: so the harness waits that, no longer.

An introspecting API may cache answers (RFC 7662 §4) for a TTL; one validating JWTs locally
refetches the issuer's key set (RFC 7517 §5) at most once per cooldown. A check that waits for
the API to notice a change waits the stated time plus the margin it names; where nothing is
stated, the default the check names (a library's usual one).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatedWaits:
    """An API's introspection cache TTL and JWKS refresh cooldown in seconds (None: unstated)."""

    cache_ttl: float | None = None
    jwks_cooldown: float | None = None

    def cache_deadline(self, default: float, margin: float) -> float:
        """How long a change may take to pass the API's cache: the TTL and ``margin``."""
        return default if self.cache_ttl is None else self.cache_ttl + margin

    def key_deadline(self, default: float, margin: float) -> float:
        """How long a key change may take to reach the API: its cooldown and ``margin``."""
        return default if self.jwks_cooldown is None else self.jwks_cooldown + margin
