"""Finding the issuer's endpoints from its discovery document.

OpenID Connect Discovery 1.0 §4 (https://openid.net/specs/openid-connect-discovery-1_0.html)
and RFC 8414 §3 (https://www.rfc-editor.org/rfc/rfc8414#section-3): the document lives at
`{issuer}/.well-known/openid-configuration`, and its `issuer` MUST equal the URL it was fetched
for, which catches the usual `ZITADEL_DOMAIN` mistakes (http vs https, a path, a typo). The
result is fetched once per process: `Discovery` caches it (async for the APIs; the CLI clients
call `fetch_metadata` once), read within the limits of every fetch from the issuer
(`oauthkit.fetch`: a deadline, a size cap, no compression).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from oauthkit.errors import IssuerFailed
from oauthkit.fetch import DEFAULT_LIMITS, FetchLimits, fetch, fetch_sync
from oauthkit.transport import json_object

WELL_KNOWN = "/.well-known/openid-configuration"


@dataclass(frozen=True)
class ProviderMetadata:
    """The endpoints oauthkit uses, with RFC 8414 member names."""

    issuer: str
    token_endpoint: str
    introspection_endpoint: str | None = None
    revocation_endpoint: str | None = None
    jwks_uri: str | None = None


def discovery_url(issuer: str) -> str:
    """The discovery document's URL for an issuer URL."""
    return issuer.rstrip("/") + WELL_KNOWN


def parse_metadata(issuer: str, response: httpx.Response) -> ProviderMetadata:
    """Check a discovery response and pick the endpoints; `IssuerFailed` says what is wrong."""
    url = discovery_url(issuer)
    if response.status_code != 200:
        raise IssuerFailed(
            f"discovery at {url} answered {response.status_code}; check ZITADEL_DOMAIN"
        )
    data = json_object(response, "discovery")
    if data.get("issuer") != issuer.rstrip("/"):
        raise IssuerFailed(
            f"discovery at {url} names the issuer {data.get('issuer')!r}, not {issuer!r}: set "
            "ZITADEL_DOMAIN to exactly the issuer URL, scheme included"
        )
    return ProviderMetadata(
        issuer=data["issuer"],
        token_endpoint=_required_endpoint(data, "token_endpoint", url),
        introspection_endpoint=_endpoint(data, "introspection_endpoint", url),
        revocation_endpoint=_endpoint(data, "revocation_endpoint", url),
        jwks_uri=_endpoint(data, "jwks_uri", url),
    )


def fetch_metadata(
    http: httpx.Client, issuer: str, limits: FetchLimits = DEFAULT_LIMITS
) -> ProviderMetadata:
    """Fetch and check the discovery document (blocking), within `limits`."""
    request = http.build_request("GET", discovery_url(issuer))
    return parse_metadata(issuer, fetch_sync(http, request, limits, "discovery"))


class Discovery:
    """The issuer's metadata, fetched on first use and cached for the life of the process."""

    def __init__(
        self, http: httpx.AsyncClient, issuer: str, limits: FetchLimits = DEFAULT_LIMITS
    ) -> None:
        self._http = http
        self._issuer = issuer
        self._limits = limits
        self._metadata: ProviderMetadata | None = None
        self._lock = asyncio.Lock()

    @property
    def issuer(self) -> str:
        """The issuer URL whose document this is."""
        return self._issuer

    async def metadata(self) -> ProviderMetadata:
        """The metadata; concurrent first calls share one fetch, a failure is not cached."""
        if self._metadata is not None:
            return self._metadata
        async with self._lock:
            if self._metadata is None:
                request = self._http.build_request("GET", discovery_url(self._issuer))
                response = await fetch(self._http, request, self._limits, "discovery")
                self._metadata = parse_metadata(self._issuer, response)
            return self._metadata


def _endpoint(data: dict[str, Any], name: str, url: str) -> str | None:
    return None if data.get(name) is None else _required_endpoint(data, name, url)


def _required_endpoint(data: dict[str, Any], name: str, url: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise IssuerFailed(f"discovery at {url}: {name} is missing or not a URL")
    return value
