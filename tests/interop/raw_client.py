"""Hand-built calls to the oidc-provider fixture: token (RFC 6749 §4.4, RFC 7523 §2.1),
introspection (RFC 7662 §2) and revocation (RFC 7009 §2), using the fixture's `.env`.

Each call returns the raw `httpx.Response` so tests can assert on status codes and bodies as
the issuer sent them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx

from .provider_process import OidcProvider
from .wire import (
    JWT_BEARER,
    KeyFile,
    basic_authorization,
    client_assertion_form,
    signed_assertion,
)


@dataclass
class RawClient:
    """One fixture plus one `httpx.Client`; every method is one HTTP exchange."""

    provider: OidcProvider
    http: httpx.Client

    @cached_property
    def discovery(self) -> dict[str, Any]:
        """`{issuer}/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4)."""
        response = self.http.get(f"{self.provider.issuer}/.well-known/openid-configuration")
        response.raise_for_status()
        document: dict[str, Any] = response.json()
        return document

    def key_file(self, variable: str) -> KeyFile:
        """The key file named by an `.env` variable (API_PRIVATE_KEY_FILE, ...)."""
        return KeyFile.load(Path(self.provider.env[variable]))

    def api_assertion(self, **overrides: Any) -> str:
        """A private_key_jwt client assertion of the API app (aud = CLIENT_ASSERTION_AUDIENCE)."""
        key = self.key_file("API_PRIVATE_KEY_FILE")
        return signed_assertion(key, self.provider.env["CLIENT_ASSERTION_AUDIENCE"], **overrides)

    def grant_assertion(self, **overrides: Any) -> str:
        """An RFC 7523 authorization grant assertion of the service user (aud = the issuer)."""
        key = self.key_file("CLIENT_PRIVATE_KEY_FILE_PATH")
        return signed_assertion(key, self.provider.issuer, **overrides)

    def client_credentials(self, **form: str) -> httpx.Response:
        """client_credentials with the service client's form-urlencoded Basic credentials."""
        env = self.provider.env
        data = {"grant_type": "client_credentials", "scope": env["TOKEN_SCOPES"], **form}
        headers = {"Authorization": basic_authorization(env["CLIENT_ID"], env["CLIENT_SECRET"])}
        return self.http.post(self.discovery["token_endpoint"], data=data, headers=headers)

    def jwt_profile(self, assertion: str | None = None, **form: str) -> httpx.Response:
        """The jwt-bearer grant, naming JWT_PROFILE_CLIENT_ID as oidc-provider requires."""
        env = self.provider.env
        data = {
            "grant_type": JWT_BEARER,
            "assertion": assertion or self.grant_assertion(),
            "scope": env["TOKEN_SCOPES"],
            "client_id": env["JWT_PROFILE_CLIENT_ID"],
            **form,
        }
        return self.http.post(self.discovery["token_endpoint"], data=data)

    def token(self, grant: str) -> str:
        """A fresh access token of one matrix row: jwt_profile, client_credentials or pat."""
        if grant == "pat":
            return self.provider.env["PERSONAL_ACCESS_TOKEN"]
        response = self.jwt_profile() if grant == "jwt_profile" else self.client_credentials()
        assert response.status_code == 200, response.text
        access_token: str = response.json()["access_token"]
        return access_token

    def introspect_basic(self, token: str, client_id: str, secret: str) -> httpx.Response:
        """RFC 7662 with client_secret_basic (form-urlencoded parts)."""
        headers = {"Authorization": basic_authorization(client_id, secret)}
        return self.http.post(self.introspection_endpoint, data={"token": token}, headers=headers)

    def introspect_private_key_jwt(
        self, token: str, assertion: str | None = None
    ) -> httpx.Response:
        """RFC 7662 with private_key_jwt (a fresh assertion with a jti unless one is given)."""
        form = client_assertion_form(assertion or self.api_assertion())
        return self.http.post(self.introspection_endpoint, data={"token": token, **form})

    def introspect(self, token: str, auth: str) -> httpx.Response:
        """Introspect as one matrix column does: private_key_jwt or client_secret_basic."""
        if auth == "private_key_jwt":
            return self.introspect_private_key_jwt(token)
        env = self.provider.env
        return self.introspect_basic(token, env["API_CLIENT_ID"], env["API_CLIENT_SECRET"])

    def revoke_as_service_client(self, token: str) -> httpx.Response:
        """RFC 7009 revocation by the client the token was issued to."""
        env = self.provider.env
        headers = {"Authorization": basic_authorization(env["CLIENT_ID"], env["CLIENT_SECRET"])}
        endpoint = self.discovery["revocation_endpoint"]
        return self.http.post(endpoint, data={"token": token}, headers=headers)

    @property
    def introspection_endpoint(self) -> str:
        """From discovery: oidc-provider's path differs from ZITADEL's /oauth/v2/introspect."""
        endpoint: str = self.discovery["introspection_endpoint"]
        return endpoint
