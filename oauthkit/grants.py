"""The three ways a service user gets an access token, and reusing it until it nearly expires.

- `JwtProfileGrant`: RFC 7523 §2.1 (https://www.rfc-editor.org/rfc/rfc7523#section-2.1), an
  assertion signed with the service user's key file; no client authentication (ZITADEL's way).
- `ClientCredentialsGrant`: RFC 6749 §4.4 (https://www.rfc-editor.org/rfc/rfc6749#section-4.4),
  client id and secret in Basic (form-urlencoded, §2.3.1) or in the form (§2.3.1, post).
- `PatGrant`: a personal access token, used as is.

Each returns an `AccessToken` (RFC 6749 §5.1 names). An error answer (§5.2) becomes a
`GrantError` with a hint for the usual mistakes. `TokenSource` reuses a token until shortly
before it expires; `BearerAuth` puts it on outgoing `httpx` requests.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Any, ClassVar, Protocol

import httpx

from oauthkit.assertion import JWT_BEARER_GRANT_TYPE, grant_assertion
from oauthkit.client_settings import ClientSettings
from oauthkit.clock import Clock, system_clock
from oauthkit.credentials import ClientSecret, PersonalAccessToken, basic_authorization
from oauthkit.discovery import fetch_metadata
from oauthkit.fetch import FetchLimits
from oauthkit.keyfile import ServiceAccountKey
from oauthkit.token_response import AccessToken, request_token


class TokenFetcher(Protocol):
    """Something that obtains a fresh access token."""

    def fetch(self, now: float) -> AccessToken:
        """Ask for a new token at time `now`."""


class GrantKind(Protocol):
    """A grant class: its name, and how to build it from its settings."""

    name: str

    def __call__(self, settings: Any, http: httpx.Client) -> TokenFetcher:
        """The grant, talking to the issuer through `http`."""


class _TokenEndpointGrant:
    """Shared part of the grants that post to the token endpoint found by discovery."""

    name: ClassVar[str]

    def __init__(self, settings: ClientSettings[Any], http: httpx.Client) -> None:
        self.settings = settings
        self._http = http
        self._endpoint: str | None = None
        self._limits = FetchLimits(deadline_s=settings.timeout)

    def token_endpoint(self) -> str:
        """The token endpoint, discovered once."""
        if self._endpoint is None:
            metadata = fetch_metadata(self._http, self.settings.issuer, self._limits)
            self._endpoint = metadata.token_endpoint
        return self._endpoint

    def _post(self, form: dict[str, str], headers: dict[str, str], now: float) -> AccessToken:
        full: dict[str, str | list[str]] = {**form, "scope": " ".join(self.settings.scopes)}
        if self.settings.resources:  # RFC 8707 §2: one `resource` parameter per indicator
            full["resource"] = list(self.settings.resources)
        endpoint = self.token_endpoint()
        return request_token(self._http, endpoint, full, headers, now, self.name, self._limits)


class JwtProfileGrant(_TokenEndpointGrant):
    """RFC 7523 §2.1: a fresh assertion signed with the service user's key, per request."""

    name = "jwt_profile"
    settings: ClientSettings[ServiceAccountKey]

    def fetch(self, now: float) -> AccessToken:
        """Post a new assertion (iss = sub = userId, aud = the issuer)."""
        key = self.settings.credentials
        assertion = grant_assertion(key, self.settings.issuer, now, self.settings.assertion)
        form = {"grant_type": JWT_BEARER_GRANT_TYPE, "assertion": assertion}
        if self.settings.client_id:
            form["client_id"] = self.settings.client_id
        return self._post(form, {}, now)


class ClientCredentialsGrant(_TokenEndpointGrant):
    """RFC 6749 §4.4: the service user's client id and secret."""

    name = "client_credentials"
    settings: ClientSettings[ClientSecret]

    def fetch(self, now: float) -> AccessToken:
        """Post the grant with the secret in Basic (default) or in the form."""
        secret = self.settings.credentials
        form = {"grant_type": "client_credentials"}
        if secret.method == "client_secret_post":
            form |= {"client_id": secret.client_id, "client_secret": secret.client_secret}
            return self._post(form, {}, now)
        header = basic_authorization(secret.client_id, secret.client_secret)
        return self._post(form, {"Authorization": header}, now)


class PatGrant:
    """A personal access token: no request; its lifetime is unknown to the client."""

    name = "pat"

    def __init__(self, settings: ClientSettings[PersonalAccessToken], http: httpx.Client) -> None:
        self.settings = settings

    def fetch(self, now: float) -> AccessToken:
        """The configured token, as a Bearer token without `expires_in`."""
        return AccessToken(self.settings.credentials.token, "Bearer", None, None, now)


class TokenSource:
    """Reuses a grant's token until less than min(60 s, 10% of its lifetime) is left."""

    def __init__(self, grant: TokenFetcher, clock: Clock = system_clock) -> None:
        self._grant = grant
        self._clock = clock
        self._token: AccessToken | None = None
        self._lock = threading.Lock()

    def token(self) -> AccessToken:
        """A token with time left, fetched only when the one held is (nearly) expired."""
        with self._lock:
            now = self._clock()
            if self._token is None or self._stale(self._token, now):
                self._token = self._grant.fetch(now)
            return self._token

    @staticmethod
    def _stale(token: AccessToken, now: float) -> bool:
        if token.expires_in is None:
            return False
        margin = min(60.0, token.expires_in / 10)
        return now >= token.obtained_at + token.expires_in - margin


class BearerAuth(httpx.Auth):
    """Sends `Authorization: Bearer <token>` from a `TokenSource` (sync clients only)."""

    def __init__(self, source: TokenSource) -> None:
        self._source = source

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the header; the token source decides whether a new token is needed."""
        request.headers["Authorization"] = f"Bearer {self._source.token().access_token}"
        yield request
