"""Errors of oauthkit; the ones a protected API answers with render themselves.

RFC 6750 §3 (https://www.rfc-editor.org/rfc/rfc6750#section-3) defines the `error` codes of a
resource server and the `WWW-Authenticate` challenge that carries them; RFC 6750 §3.1 says a
request without credentials gets a challenge with no error code at all. RFC 6749 §5.2 defines the
token endpoint's error body that `GrantError` carries.

    OAuthKitError
    ├── ConfigError                 a setting or key file is missing or wrong (names where)
    ├── GrantError                  the token endpoint refused a grant (RFC 6749 §5.2)
    └── ResourceError               rendered by the API: status, JSON body, challenge
        ├── MissingToken            401, challenge without an error code (RFC 6750 §3.1)
        ├── InvalidRequest          400 invalid_request
        ├── InvalidToken            401 invalid_token
        ├── InsufficientScope       403 insufficient_scope, challenge names the scope
        └── IssuerError             503: the API could not get an answer it can trust
            ├── IssuerUnreachable   connection refused or dropped, timeout
            ├── IssuerFailed        5xx, not JSON, not an object, no `active`, bad metadata
            └── IssuerRejectedClient  4xx on the API's own client credentials

`str(error)` is the detail for logs (it may name URLs and variables, never a secret);
`description` is what the caller of the API is told.
"""

from __future__ import annotations

import re

# RFC 6750 §3: error_description and scope allow only %x20-21 / %x23-5B / %x5D-7E, so quotes,
# backslashes and anything outside printable ASCII are replaced rather than escaped.
_NOT_ALLOWED = re.compile(r"[^\x20\x21\x23-\x5b\x5d-\x7e]")
_NOT_PRINTABLE = re.compile(r"[^\x20-\x7e]")


def challenge(realm: str, **params: str | None) -> str:
    """Build a `WWW-Authenticate: Bearer` value (RFC 6750 §3) from the realm and parameters.

    The realm is a quoted-string (RFC 9110 §5.6.4), escaped; other parameters are restricted
    to RFC 6750's character set. Parameters that are None are left out.
    """
    realm_text = _NOT_PRINTABLE.sub("?", realm).replace("\\", "\\\\").replace('"', '\\"')
    parts = [f'realm="{realm_text}"']
    parts += [f'{k}="{_NOT_ALLOWED.sub("?", v)}"' for k, v in params.items() if v is not None]
    return "Bearer " + ", ".join(parts)


class OAuthKitError(Exception):
    """Base of every error oauthkit raises on purpose."""


class ConfigError(OAuthKitError):
    """A setting or key file is missing or malformed; the message says where and how to fix it."""


class GrantError(OAuthKitError):
    """The token endpoint answered with an RFC 6749 §5.2 error (or with no usable answer)."""

    def __init__(
        self, error: str, error_description: str | None, status: int, hint: str | None = None
    ) -> None:
        self.error = error
        self.error_description = error_description
        self.status = status
        self.hint = hint
        detail = f": {error_description}" if error_description else ""
        super().__init__(f"token endpoint answered {status} {error}{detail}")


class ResourceError(OAuthKitError):
    """An answer of the protected API other than 200: status, JSON body and challenge."""

    status: int = 401
    error: str | None = None
    description: str = "The request was denied."

    def __init__(self, detail: str | None = None, *, description: str | None = None) -> None:
        if description is not None:
            self.description = description
        super().__init__(detail or self.description)

    def body(self) -> dict[str, str]:
        """The JSON body: `error` (when there is a code) and `error_description`."""
        if self.error is None:
            return {"error_description": self.description}
        return {"error": self.error, "error_description": self.description}

    def challenge(self, realm: str) -> str | None:
        """The `WWW-Authenticate` value, or None when this answer carries no challenge."""
        return challenge(realm, error=self.error, error_description=self.description)


class MissingToken(ResourceError):
    """No bearer credentials (none at all, or another scheme): RFC 6750 §3.1 bare challenge."""

    description = "This resource needs a bearer token: send 'Authorization: Bearer <token>'."

    def challenge(self, realm: str) -> str | None:
        """A challenge with the realm only: no error code for a request without credentials."""
        return challenge(realm)


class InvalidRequest(ResourceError):
    """The `Authorization` header is malformed (RFC 6750 §3.1 invalid_request)."""

    status = 400
    error = "invalid_request"
    description = "The Authorization header is malformed."


class InvalidToken(ResourceError):
    """The token is unknown, inactive, expired, revoked or not for this API."""

    status = 401
    error = "invalid_token"
    description = "The access token is not valid."


class InsufficientScope(ResourceError):
    """The token is valid but lacks a role the resource needs (RFC 6750 §3.1)."""

    status = 403
    error = "insufficient_scope"

    def __init__(self, scope: tuple[str, ...], detail: str | None = None) -> None:
        self.scope = scope
        super().__init__(
            detail, description=f"The access token lacks the role(s): {' '.join(scope)}."
        )

    def challenge(self, realm: str) -> str | None:
        """The challenge names the scope the request needs."""
        return challenge(
            realm, error=self.error, error_description=self.description, scope=" ".join(self.scope)
        )


class IssuerError(ResourceError):
    """The issuer gave no trustworthy answer, so the API cannot decide: 503."""

    status = 503
    error = "temporarily_unavailable"
    description = "The token could not be checked with the issuer; try again later."
    retry_after: int | None = None  # seconds, passed on from the issuer (RFC 9110 §10.2.3)

    def challenge(self, realm: str) -> str | None:
        """No challenge: the client's credentials are not at fault."""
        return None

    def headers(self) -> dict[str, str]:
        """`Retry-After` when the issuer said how long to wait."""
        return {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}


class IssuerUnreachable(IssuerError):
    """The issuer could not be reached: connection refused or dropped, or a timeout."""


class IssuerFailed(IssuerError):
    """The issuer answered, but with a 5xx or a body that is not a usable answer."""


class IssuerRejectedClient(IssuerError):
    """The issuer refused the API's own client credentials (a 4xx at introspection)."""
