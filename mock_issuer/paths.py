"""Endpoint paths of the mock issuer, ZITADEL's defaults (OpenID Connect Discovery 1.0 §3).

One place for every path, so the routes, the discovery document and the fault layer agree.
"""

from __future__ import annotations

from typing import Final

DISCOVERY: Final = "/.well-known/openid-configuration"
AUTHORIZATION: Final = "/oauth/v2/authorize"
TOKEN: Final = "/oauth/v2/token"
INTROSPECTION: Final = "/oauth/v2/introspect"
REVOCATION: Final = "/oauth/v2/revoke"
JWKS: Final = "/oauth/v2/keys"
USERINFO: Final = "/oidc/v1/userinfo"
END_SESSION: Final = "/oidc/v1/end_session"
DEVICE_AUTHORIZATION: Final = "/oauth/v2/device_authorization"

# Short endpoint names used by fault injection (``endpoint="introspect"``).
ENDPOINT_NAMES: Final[dict[str, str]] = {
    DISCOVERY: "discovery",
    TOKEN: "token",
    INTROSPECTION: "introspect",
    REVOCATION: "revoke",
    JWKS: "keys",
    USERINFO: "userinfo",
}
