"""The RFC 7662 introspection client an API uses to ask the issuer about a token.

RFC 7662 §2.1 (https://www.rfc-editor.org/rfc/rfc7662#section-2.1): POST `token=...` to the
introspection endpoint, authenticated as the API's own client (`oauthkit.client_auth`:
`PrivateKeyJwt` or `ClientSecretBasic`). §2.2: a 200 answer is a JSON object whose `active`
member, a boolean, decides. Anything else (network failure, timeout, 5xx, a redirect, a refusal
of our credentials, a body that is not such an object, an `active` that is not a boolean, a
time or audience member of the wrong type) is an `IssuerError`, which the API answers with 503:
never 200, never an unhandled 500. The whole
call, discovery included, has one deadline, and each answer one size cap (see `fetch`).

One `httpx.AsyncClient` per process is passed in (connection reuse). Concurrent lookups of one
token share one request; an optional cache (§4 allows it) keeps answers up to a configured TTL
and never past the token's `exp`, so a revoked token is seen within the TTL at most.
"""

from __future__ import annotations

import asyncio
from typing import Required, TypedDict, cast

import httpx

from oauthkit.client_auth import ClientAuth
from oauthkit.clock import Clock, system_clock
from oauthkit.credentials import digest
from oauthkit.discovery import Discovery
from oauthkit.errors import IssuerFailed, IssuerRejectedClient
from oauthkit.fetch import DEFAULT_MAX_ANSWER_BYTES, FetchLimits, deadline, fetch
from oauthkit.introspection_cache import IntrospectionCache
from oauthkit.transport import json_object

# RFC 7662 §2.2 members and their JSON types; a member of another type is the issuer's error.
_NUMERIC_DATES = ("exp", "iat", "nbf")
_TEXTS = ("scope", "client_id", "username", "token_type", "sub", "iss", "jti")
# A NumericDate past the year 30000 is no date an issuer means (RFC 7519 §2); ZITADEL gives
# PATs without expiry 9999-12-31.
MAX_NUMERIC_DATE = 1_000_000_000_000


class IntrospectionResponse(TypedDict, total=False):
    """RFC 7662 §2.2 members; issuers add more (ZITADEL: roles, user info)."""

    active: Required[bool]
    scope: str
    client_id: str
    username: str
    token_type: str
    exp: int
    iat: int
    nbf: int
    sub: str
    aud: str | list[str]
    iss: str
    jti: str


class Introspector:
    """Asks the issuer about tokens, coalescing concurrent lookups and optionally caching."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        issuer: str,
        client_auth: ClientAuth,
        *,
        clock: Clock = system_clock,
        cache_ttl: float = 0.0,
        deadline_s: float = 5.0,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
    ) -> None:
        self._http = http
        self._issuer = issuer
        self._auth = client_auth
        self._clock = clock
        self._limits = FetchLimits(deadline_s, max_answer_bytes)
        self._discovery = Discovery(http, issuer, self._limits)
        self._cache = IntrospectionCache(cache_ttl)
        self._inflight: dict[str, asyncio.Future[IntrospectionResponse]] = {}

    async def introspect(
        self, token: str, token_digest: str | None = None
    ) -> IntrospectionResponse:
        """The issuer's answer for `token` (active or not); `IssuerError` if there is none.

        `token_digest` is the token's `oauthkit.credentials.digest`, when the caller has it.
        """
        key = token_digest or digest(token)
        cached = self._cache.get(key, self._clock())
        if cached is not None:
            return cast(IntrospectionResponse, cached)
        pending = self._inflight.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._lookup(key, token))
            self._inflight[key] = pending
            pending.add_done_callback(lambda done: self._settle(key, done))
        # shield: one caller giving up (client gone) must not cancel the others' lookup.
        return await asyncio.shield(pending)

    def _settle(self, key: str, done: asyncio.Future[IntrospectionResponse]) -> None:
        self._inflight.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved, so an unawaited failure is not reported as lost

    async def _lookup(self, key: str, token: str) -> IntrospectionResponse:
        async with deadline(self._limits.deadline_s, "introspection", self._issuer):
            result = await self._post(token)
        self._cache.put(key, result, self._clock())
        return result

    async def _post(self, token: str) -> IntrospectionResponse:
        endpoint = (await self._discovery.metadata()).introspection_endpoint
        if endpoint is None:
            raise IssuerFailed(f"the discovery document of {self._issuer} has no introspection")
        headers, form = self._auth.authenticate(self._issuer, self._clock())
        request = self._http.build_request(
            "POST", endpoint, data={"token": token, **form}, headers=headers
        )
        return self._read(await fetch(self._http, request, self._limits, "introspection"))

    def _read(self, response: httpx.Response) -> IntrospectionResponse:
        where = f"introspection at {response.request.url} answered {response.status_code}"
        if response.status_code in (400, 401, 403):
            error = _error_code(response)
            raise IssuerRejectedClient(
                f"{where} {error}: the issuer refused the API's own credentials (client_id "
                f"{self._auth.client_id}, {self._auth.method}); {self._auth.hint}"
            )
        if 300 <= response.status_code < 400:
            raise IssuerFailed(f"{where}: redirects are not followed (RFC 7662 §2.2 wants 200)")
        if response.status_code != 200:
            failed = IssuerFailed(where)
            failed.retry_after = _retry_after(response)
            raise failed
        data = json_object(response, "introspection")
        problem = shape_problem(data)
        if problem:
            raise IssuerFailed(f"{where} {problem} (RFC 7662 §2.2)")
        return cast(IntrospectionResponse, data)


MAX_RETRY_AFTER_S = 3600


def _retry_after(response: httpx.Response) -> int | None:
    """The issuer's `Retry-After` in seconds, for a 429 or 503 (RFC 9110 §10.2.3), if sane."""
    value = response.headers.get("retry-after", "").strip()
    if response.status_code not in (429, 503) or not value.isdigit() or len(value) > 6:
        return None
    return min(int(value), MAX_RETRY_AFTER_S)


def shape_problem(data: dict[str, object]) -> str:
    """What makes an answer malformed per RFC 7662 §2.2 ('' when nothing does)."""
    if "active" not in data:
        return "without the member 'active'"
    if not isinstance(data["active"], bool):
        return f"with 'active' = {_shown(data['active'])}, not a JSON boolean"
    if data["active"] is False:
        return ""  # nothing else about an inactive token matters
    for name in _NUMERIC_DATES:
        value = data.get(name)
        if value is not None and not _numeric_date(value):
            return f"with '{name}' = {_shown(value)}, not a NumericDate"
    for name in _TEXTS:
        if data.get(name) is not None and not isinstance(data[name], str):
            return f"with '{name}' = {_shown(data[name])}, not a string"
    aud = data.get("aud")
    if aud is not None and not _audience(aud):
        return f"with 'aud' = {_shown(aud)}, neither a string nor an array of strings"
    return ""


def _numeric_date(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return 0 <= value < MAX_NUMERIC_DATE  # finite: strict_json refused NaN and 1e400


def _audience(value: object) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


def _error_code(response: httpx.Response) -> str:
    try:
        error = json_object(response, "introspection").get("error")
    except IssuerFailed:
        return "(no JSON error)"
    return str(error) if error else "(no error code)"
