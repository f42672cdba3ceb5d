"""The issuer's signing keys for local JWT validation: fetched from `jwks_uri`, cached, refreshed.

RFC 7517 §5 (https://www.rfc-editor.org/rfc/rfc7517#section-5): the JWK Set at the discovery
document's `jwks_uri` (RFC 8414 §2). Keys are looked up by `kid` (RFC 7515 §4.1.4). Issuers
rotate keys without notice (ZITADEL's docs ask APIs to cache the set and refresh it), so:

- an unknown `kid` triggers one refresh, but at most one per `cooldown` seconds: a flood of
  tokens with made-up kids cannot make the API hammer the issuer (ZITADEL Cloud rate-limits
  per IP, zitadel-spec §7.1);
- concurrent refreshes are one request;
- when the JWKS cannot be fetched, the keys already cached keep working, and a token whose
  key is not cached gets 503 (`IssuerError`): the API cannot tell whether the key is new;
- after a successful refresh, a `kid` still missing is the token's fault: 401;
- a refresh, discovery included, has one deadline and each answer one size cap
  (`oauthkit.fetch`), and runs beside the requests: only those waiting for a key wait for it.

The one `httpx.AsyncClient` of the process is passed in; the clock is injected.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from oauthkit.clock import Clock, system_clock
from oauthkit.discovery import Discovery
from oauthkit.errors import InvalidToken, IssuerFailed, IssuerUnreachable
from oauthkit.fetch import DEFAULT_LIMITS, FetchLimits, deadline, fetch
from oauthkit.transport import json_object

logger = logging.getLogger("oauthkit.jwks")
DEFAULT_COOLDOWN = 5.0


@dataclass(frozen=True)
class PublicKey:
    """One key of the set: the key object PyJWT verifies with, and the JWK's own `alg`, if any."""

    kid: str
    key: Any
    alg: str | None = None


class JwksCache:
    """The issuer's public keys by `kid`, refreshed on an unknown `kid` at most once a cooldown."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        discovery: Discovery,
        *,
        clock: Clock = system_clock,
        cooldown: float = DEFAULT_COOLDOWN,
        limits: FetchLimits = DEFAULT_LIMITS,
    ) -> None:
        self._http = http
        self._discovery = discovery
        self._limits = limits
        self._clock = clock
        self._cooldown = cooldown
        self._keys: dict[str, PublicKey] = {}
        self._last_attempt: float | None = None
        self._last_failed = False
        self._inflight: asyncio.Future[None] | None = None
        self.fetches = 0

    async def key(self, kid: str) -> PublicKey:
        """The key with this `kid`; `InvalidToken` if the issuer has none, 503 if unknown now."""
        if kid in self._keys:
            return self._keys[kid]
        if self._inflight is not None or self._may_refresh():
            await self._refresh()
        elif self._last_failed:
            raise IssuerUnreachable(
                f"no cached key {kid!r} and the JWKS could not be fetched "
                f"{self._clock() - (self._last_attempt or 0):.1f} s ago; retrying after "
                f"{self._cooldown:g} s"
            )
        if kid in self._keys:
            return self._keys[kid]
        raise InvalidToken(
            f"the issuer's JWKS has no key {kid!r}",
            description="The access token is signed with a key the issuer does not publish.",
        )

    def _may_refresh(self) -> bool:
        last = self._last_attempt
        return last is None or self._clock() - last >= self._cooldown

    async def _refresh(self) -> None:
        if self._inflight is None:
            self._last_attempt = self._clock()
            self._inflight = asyncio.ensure_future(self._fetch())
            self._inflight.add_done_callback(self._settle)
        # shield: one caller giving up (client gone) must not cancel the others' refresh.
        await asyncio.shield(self._inflight)

    def _settle(self, done: asyncio.Future[None]) -> None:
        self._inflight = None
        self._last_failed = done.cancelled() or done.exception() is not None

    async def _fetch(self) -> None:
        async with deadline(self._limits.deadline_s, "JWKS refresh", self._discovery.issuer):
            uri = (await self._discovery.metadata()).jwks_uri
            if uri is None:
                raise IssuerFailed("the discovery document has no jwks_uri: cannot verify JWTs")
            self.fetches += 1
            request = self._http.build_request("GET", uri)
            response = await fetch(self._http, request, self._limits, "JWKS")
        if response.status_code != 200:
            raise IssuerFailed(f"JWKS at {uri} answered {response.status_code}")
        self._keys = _parse_keys(json_object(response, "JWKS"), uri)
        logger.info("fetched %d signing key(s) from %s", len(self._keys), uri)


def _parse_keys(data: dict[str, Any], uri: str) -> dict[str, PublicKey]:
    entries = data.get("keys")
    if not isinstance(entries, list):
        raise IssuerFailed(f"JWKS at {uri} has no 'keys' list (RFC 7517 §5)")
    keys: dict[str, PublicKey] = {}
    for entry in entries:
        kid = entry.get("kid") if isinstance(entry, dict) else None
        if not isinstance(kid, str) or entry.get("use", "sig") != "sig":
            continue
        try:
            alg = entry.get("alg")
            key = jwt.PyJWK(entry).key
            keys[kid] = PublicKey(kid, key, alg if isinstance(alg, str) else None)
        except (jwt.PyJWKError, jwt.InvalidKeyError, TypeError, ValueError):
            logger.warning("skipped key %r of %s: not a usable public key", kid, uri)
    return keys
