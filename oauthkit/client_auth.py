"""How an API authenticates itself to the issuer's introspection endpoint, as its own client.

RFC 7662 §2.1 (https://www.rfc-editor.org/rfc/rfc7662#section-2.1) asks the resource server to
authenticate; two ways are built here: `PrivateKeyJwt`, a signed RFC 7523 §2.2 assertion
(https://www.rfc-editor.org/rfc/rfc7523#section-2.2) made afresh for every request with the API
app's key file, and `ClientSecretBasic`, the client id and secret in a Basic header,
form-urlencoded first (RFC 6749 §2.3.1). Both give headers and form fields for one request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from oauthkit.assertion import CLIENT_ASSERTION_TYPE, AssertionSettings, client_assertion
from oauthkit.credentials import ClientSecret, basic_authorization
from oauthkit.keyfile import ApplicationKey

Authentication = tuple[dict[str, str], dict[str, str]]
"""Headers and form fields that authenticate a request as the API's client."""


class ClientAuth(Protocol):
    """How the API authenticates itself to the introspection endpoint."""

    @property
    def client_id(self) -> str:
        """The API's client id (for logs and error messages)."""

    @property
    def method(self) -> str:
        """The RFC 8414 name of the method, e.g. `private_key_jwt`."""

    @property
    def hint(self) -> str:
        """What to check when the issuer refuses these credentials."""

    def authenticate(self, issuer: str, now: float) -> Authentication:
        """Headers and form fields for one request at time `now`."""


@dataclass(frozen=True)
class PrivateKeyJwt:
    """private_key_jwt: a signed RFC 7523 assertion made with the API app's key file."""

    key: ApplicationKey
    assertion: AssertionSettings = field(default_factory=AssertionSettings)
    method: str = "private_key_jwt"
    hint: str = "check API_PRIVATE_KEY_FILE: the API app's key, not expired or deleted"

    @property
    def client_id(self) -> str:
        """The app's client id, the assertion's iss and sub."""
        return self.key.client_id

    def authenticate(self, issuer: str, now: float) -> Authentication:
        """A fresh assertion in the form (RFC 7523 §2.2), no headers."""
        assertion = client_assertion(self.key, issuer, now, self.assertion)
        return {}, {"client_assertion_type": CLIENT_ASSERTION_TYPE, "client_assertion": assertion}


@dataclass(frozen=True)
class ClientSecretBasic:
    """client_secret_basic: the API app's client id and secret in an `Authorization` header."""

    secret: ClientSecret
    method: str = "client_secret_basic"
    hint: str = "check API_CLIENT_ID and API_CLIENT_SECRET (the API app's, not a user's)"

    @property
    def client_id(self) -> str:
        """The app's client id."""
        return self.secret.client_id

    def authenticate(self, issuer: str, now: float) -> Authentication:
        """The Basic header, parts form-urlencoded (RFC 6749 §2.3.1), no form fields."""
        header = basic_authorization(self.secret.client_id, self.secret.client_secret)
        return {"Authorization": header}, {}
