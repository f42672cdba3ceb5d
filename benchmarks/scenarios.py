"""What a benchmark run measures: the scenarios and the load each one gets.

The dimensions are the costs a user of oauthkit chooses between. The API's client
authentication to the introspection endpoint (RFC 7662 §2.1,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1): `api_jwt` signs an RFC 7523 §2.2 assertion
per call, `api_basic_auth` sends client_secret_basic. The optional answer cache that RFC 7662 §4
allows (INTROSPECTION_CACHE_TTL, never past the token's `exp`). The issuer's own latency (ZITADEL
introspection has been measured at a median of ~780 ms, zitadel#6462). And whether requests carry
many distinct tokens or one hot token, whose concurrent lookups oauthkit coalesces into one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

ApiName = Literal["api_jwt", "api_basic_auth", "api_local_jwt"]
TokenMix = Literal["hot", "distinct"]
API_NAMES: tuple[ApiName, ...] = ("api_jwt", "api_basic_auth")
"""The introspecting samples: the scenarios' cache and issuer-latency dimensions apply to them."""
SERVED_APIS: tuple[ApiName, ...] = (*API_NAMES, "api_local_jwt")
"""Every sample `benchmarks.api_server` can serve (`api_local_jwt` checks JWTs with the JWKS)."""
TOKEN_MIXES: tuple[TokenMix, ...] = ("hot", "distinct")
INTROSPECTION_AUTH: dict[ApiName, str] = {
    "api_jwt": "private_key_jwt",
    "api_basic_auth": "client_secret_basic",
    "api_local_jwt": "none (local JWT validation)",
}


@dataclass(frozen=True)
class ApiConfig:
    """One API process: which sample, and its INTROSPECTION_CACHE_TTL (0 = cache off)."""

    app: ApiName
    cache_ttl: float

    @property
    def cache(self) -> str:
        """`off`, or the TTL, e.g. `60s`."""
        return "off" if self.cache_ttl <= 0 else f"{self.cache_ttl:g}s"

    @property
    def label(self) -> str:
        """A short name, e.g. `api_jwt-cache-off` (also the API's log file name)."""
        return f"{self.app}-cache-{self.cache}"


@dataclass(frozen=True)
class Scenario:
    """One measurement: an API process, the issuer's added latency, and the token mix."""

    api: ApiConfig
    issuer_latency_ms: float
    tokens: TokenMix

    @property
    def name(self) -> str:
        """e.g. `api_jwt cache=off latency=50ms tokens=hot`."""
        latency = f"{self.issuer_latency_ms:g}ms"
        return f"{self.api.app} cache={self.api.cache} latency={latency} tokens={self.tokens}"


@dataclass(frozen=True)
class Load:
    """How hard each scenario is driven: `requests` in total, or for `duration` seconds."""

    concurrency: int = 16
    requests: int | None = 400
    duration: float | None = None
    pool: int = 100
    path: str = "/api/private"

    def __post_init__(self) -> None:
        if (self.requests is None) == (self.duration is None):
            raise ValueError("Load needs exactly one of requests= and duration=.")
        if self.concurrency < 1 or self.pool < 1:
            raise ValueError("Load needs concurrency >= 1 and pool >= 1.")

    def token_count(self, mix: TokenMix) -> int:
        """How many distinct tokens a scenario with this mix uses."""
        return 1 if mix == "hot" else self.pool


def plan(
    apis: Iterable[ApiName],
    cache_ttls: Iterable[float],
    latencies_ms: Iterable[float],
    mixes: Iterable[TokenMix],
) -> list[Scenario]:
    """Every combination, grouped so the scenarios of one API process run together."""
    configs = [ApiConfig(app, ttl) for app, ttl in itertools.product(apis, cache_ttls)]
    combos = itertools.product(configs, latencies_ms, mixes)
    return [Scenario(config, latency, mix) for config, latency, mix in combos]


def by_api(scenarios: Sequence[Scenario]) -> dict[ApiConfig, list[Scenario]]:
    """The scenarios per API process, in first-seen order."""
    groups: dict[ApiConfig, list[Scenario]] = {}
    for scenario in scenarios:
        groups.setdefault(scenario.api, []).append(scenario)
    return groups
