"""The harness's own calls to the issuer: discovery, introspection, revocation, token requests.

The sample APIs introspect for themselves; these calls are the harness asking the issuer
directly, to revoke a token (RFC 7009 §2.1), to confirm it is now inactive (RFC 7662 §2.2), and
to record how the issuer answers on purpose-made requests (the issuer-behaviour observations).
The API apps' own credentials authenticate them (RFC 7523 §2.2 or RFC 6749 §2.3.1). Every
exchange is recorded redacted (see ``recording.py``); the answer is returned as plain data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from harness.model.matrix import Grant, Mechanism
from harness.model.results import Exchange
from harness.model.skips import NotApplicable, config_problem
from harness.redaction import Redactor
from harness.targets.recording import recording_client
from oauthkit import (
    ApiSettings,
    ApplicationKey,
    ClientAuth,
    ClientSecretBasic,
    ClientSettings,
    ConfigError,
    PrivateKeyJwt,
    discovery_url,
)

ClientRecipe = Callable[[], ClientSettings[Any]]

# Basic first: its failures are the easiest to read in a report.
AUTH_PREFERENCE = (Mechanism.CLIENT_SECRET_BASIC, Mechanism.PRIVATE_KEY_JWT)
# The setting each API app's credentials come from, to name it when missing.
_API_VARIABLES = {
    Mechanism.PRIVATE_KEY_JWT: "API_PRIVATE_KEY_FILE",
    Mechanism.CLIENT_SECRET_BASIC: "API_CLIENT_ID",
}
_ANY_API = "API_CLIENT_ID or API_PRIVATE_KEY_FILE"


@dataclass(frozen=True)
class Answer:
    """The issuer's answer: status, a few headers, the JSON body (None if not an object)."""

    exchange: Exchange
    status: int | None
    body: dict[str, Any] | None = None
    challenge: str = ""

    @property
    def error(self) -> str | None:
        """The RFC 6749 §5.2 ``error`` member, if any."""
        value = (self.body or {}).get("error")
        return value if isinstance(value, str) else None


def client_auth(settings: ApiSettings[Any]) -> ClientAuth:
    """The API app's client authentication, as the sample API itself builds it."""
    if isinstance(settings.credentials, ApplicationKey):
        return PrivateKeyJwt(settings.credentials, settings.assertion)
    return ClientSecretBasic(settings.credentials)


@dataclass
class IssuerCalls:
    """Direct, recorded calls to the issuer, authenticated as one of the API apps."""

    issuer: str
    redactor: Redactor
    apis: Mapping[Mechanism, ApiSettings[Any]]
    clients: Mapping[Grant, ClientRecipe] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    _metadata: dict[str, Any] | None = field(default=None, repr=False)

    def metadata(self) -> dict[str, Any]:
        """The discovery document (OpenID Connect Discovery 1.0 §4), fetched once."""
        if self._metadata is None:
            answer = self._send("GET", discovery_url(self.issuer))
            if answer.status != 200 or answer.body is None:
                raise NotApplicable(f"discovery at {discovery_url(self.issuer)} failed")
            self._metadata = answer.body
        return self._metadata

    def endpoint(self, name: str) -> str:
        """An endpoint URL from discovery, or NotApplicable naming the missing member."""
        url = self.metadata().get(name)
        if not isinstance(url, str):
            raise NotApplicable(f"the issuer's discovery document has no {name}")
        return url

    def api_auth(self, auth: Mechanism | None = None) -> ClientAuth:
        """The chosen API app's authentication (or the first configured one).

        A local-JWT API has no client credentials; the introspecting apps' are used for it.
        """
        for candidate in (auth,) if auth and auth.introspects else AUTH_PREFERENCE:
            if candidate in self.apis:
                return client_auth(self.apis[candidate])
        variable = _API_VARIABLES.get(auth, _ANY_API) if auth else _ANY_API
        raise config_problem(ConfigError(f"{variable} is not set or not usable"))

    def client_settings(self, grant: Grant) -> ClientSettings[Any]:
        """The role holder's client settings for ``grant`` (NotConfigured when missing)."""
        recipe = self.clients.get(grant)
        if recipe is None:
            raise config_problem(ConfigError(f"credentials for {grant.label} are not set"))
        try:
            return recipe()
        except ConfigError as exc:
            raise config_problem(exc) from None

    def introspect(self, token: str, auth: ClientAuth) -> Answer:
        """RFC 7662 §2.1: ask about ``token`` authenticated by ``auth``."""
        return self._post(self.endpoint("introspection_endpoint"), {"token": token}, auth)

    def revoke(self, token: str, auth: ClientAuth) -> Answer:
        """RFC 7009 §2.1: revoke ``token`` authenticated by ``auth``."""
        return self._post(self.endpoint("revocation_endpoint"), {"token": token}, auth)

    def token_request(self, form: dict[str, str], headers: dict[str, str]) -> Answer:
        """A raw RFC 6749 §3.2 token request (for answers to deliberately bad ones)."""
        return self._send("POST", self.endpoint("token_endpoint"), form, headers)

    def _post(self, url: str, form: dict[str, str], auth: ClientAuth) -> Answer:
        headers, fields = auth.authenticate(self.issuer, self.clock())
        return self._send("POST", url, {**form, **fields}, headers)

    def _send(
        self, method: str, url: str, form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:  # fmt: skip
        sink: list[Exchange] = []
        with recording_client(self.redactor, lambda made: sink.append(made())) as http:
            try:
                response = http.request(method, url, data=form, headers=headers)
            except httpx.HTTPError as exc:
                error = self.redactor.redact(f"{type(exc).__name__}: {exc}")
                return Answer(Exchange(method, url, error=error), None)
        return Answer(sink[-1], response.status_code, _json_object(response.text),
                      response.headers.get("www-authenticate", ""))  # fmt: skip


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
