"""``GET /.well-known/openid-configuration`` (OpenID Connect Discovery 1.0 §4, spec §1).

ZITADEL's document: its endpoint paths and the methods and algorithms it advertises, as two
data tables (:data:`ENDPOINTS`, :data:`METADATA`). The mock serves only token,
introspection, revocation and keys; the other endpoints are listed because ZITADEL lists them.
"""

from __future__ import annotations

import copy
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_issuer import paths
from mock_issuer.instance import Instance

_AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post", "private_key_jwt"]
_RS256 = ["RS256"]

ENDPOINTS: Final[dict[str, str]] = {
    "authorization_endpoint": paths.AUTHORIZATION,
    "token_endpoint": paths.TOKEN,
    "introspection_endpoint": paths.INTROSPECTION,
    "userinfo_endpoint": paths.USERINFO,
    "revocation_endpoint": paths.REVOCATION,
    "end_session_endpoint": paths.END_SESSION,
    "device_authorization_endpoint": paths.DEVICE_AUTHORIZATION,
    "jwks_uri": paths.JWKS,
}
"""A data table: each endpoint's metadata name and its path under the issuer, in ZITADEL's order."""

METADATA: Final[dict[str, Any]] = {
    "scopes_supported": ["openid", "profile", "email", "phone", "address", "offline_access"],
    "response_types_supported": ["code", "id_token", "id_token token"],
    "response_modes_supported": ["query", "fragment", "form_post"],
    "grant_types_supported": [
        "authorization_code",
        "implicit",
        "refresh_token",
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "urn:ietf:params:oauth:grant-type:device_code",
    ],
    "subject_types_supported": ["public"],
    "id_token_signing_alg_values_supported": [
        "EdDSA", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
    ],
    "request_object_signing_alg_values_supported": _RS256,
    "token_endpoint_auth_methods_supported": _AUTH_METHODS,
    "token_endpoint_auth_signing_alg_values_supported": _RS256,
    "revocation_endpoint_auth_methods_supported": _AUTH_METHODS,
    "revocation_endpoint_auth_signing_alg_values_supported": _RS256,
    "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
    "introspection_endpoint_auth_signing_alg_values_supported": _RS256,
    "claims_supported": [
        "sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "acr", "amr", "c_hash",
        "at_hash", "act", "scopes", "client_id", "azp", "preferred_username", "name",
        "family_name", "given_name", "locale", "email", "email_verified", "phone_number",
        "phone_number_verified",
    ],
    "code_challenge_methods_supported": ["S256"],
    "ui_locales_supported": ["en"],
    "request_parameter_supported": True,
    "request_uri_parameter_supported": False,
}  # fmt: skip
"""A data table: what ZITADEL advertises besides its endpoints (spec §1), in its order."""


def document(issuer: str) -> dict[str, Any]:
    """The discovery document for ``issuer`` (a fresh copy: callers may change it)."""
    endpoints = {name: issuer + path for name, path in ENDPOINTS.items()}
    return {"issuer": issuer, **endpoints, **copy.deepcopy(METADATA)}


async def handle(request: Request, instance: Instance) -> Response:
    """Serve the discovery document."""
    return JSONResponse(document(instance.issuer))
