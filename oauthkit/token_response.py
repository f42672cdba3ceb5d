"""One request to the token endpoint and its answer: an access token or an error with a hint.

RFC 6749 §5.1 (https://www.rfc-editor.org/rfc/rfc6749#section-5.1): a successful answer is a
JSON object with `access_token`, `token_type` and usually `expires_in`; §5.2: an error answer
has `error` and maybe `error_description`. The hints name the setting to check for the mistakes
people make with ZITADEL (zitadel-spec.md §2.2-2.3): a rejected assertion (which ZITADEL
answers with 500 `server_error`, zitadel#12692), a user name that is not the client id, a wrong
or missing secret, no scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from oauthkit.errors import GrantError, IssuerFailed
from oauthkit.fetch import DEFAULT_LIMITS, FetchLimits, fetch_sync
from oauthkit.transport import json_object


@dataclass(frozen=True)
class AccessToken:
    """An access token as RFC 6749 §5.1 returns it, and when it was obtained."""

    access_token: str = field(repr=False)
    token_type: str
    expires_in: int | None
    scope: str | None
    obtained_at: float

    @property
    def expires_at(self) -> float | None:
        """When the token expires (Unix seconds), if the issuer said."""
        return None if self.expires_in is None else self.obtained_at + self.expires_in


_ASSERTION = (
    "the issuer rejected the signed assertion: check that CLIENT_PRIVATE_KEY_FILE_PATH is the "
    "service user's key file ('type': 'serviceaccount'), that the key has not expired or been "
    "deleted, that ZITADEL_DOMAIN is exactly the issuer URL (the assertion's aud), and that "
    "this machine's clock is right"
)
# (grant or None, error or None, text in error_description or None, hint); first match wins.
_HINTS: tuple[tuple[str | None, str | None, str | None, str], ...] = (
    (None, None, "scope of your request is missing", "set TOKEN_SCOPES (or PROJECT_ID)"),
    ("jwt_profile", "invalid_grant", None, _ASSERTION),
    ("jwt_profile", "server_error", None, _ASSERTION + " (ZITADEL answers this with 500)"),
    ("jwt_profile", "invalid_client", None, _ASSERTION),
    (
        "client_credentials",
        "invalid_client",
        None,
        "check CLIENT_ID (the service user's user name, shown as ClientID in ZITADEL's console) "
        "and CLIENT_SECRET",
    ),
    (None, None, "Secret.Invalid", "CLIENT_SECRET is wrong: generate a new secret and update it"),
    (
        None,
        None,
        "Secret.NotExisting",
        "the service user has no client secret: generate one in ZITADEL's console",
    ),
    (None, "unauthorized_client", None, "the issuer does not allow this client this grant"),
    (None, "unsupported_grant_type", None, "the issuer does not offer this grant"),
    (None, "invalid_scope", None, "the issuer refuses one of the scopes: check TOKEN_SCOPES"),
)


def hint_for(grant: str, error: str, description: str | None) -> str | None:
    """The hint for an error answer of `grant`, if it is a usual mistake."""
    for hint_grant, hint_error, text, hint in _HINTS:
        if hint_grant not in (None, grant) or hint_error not in (None, error):
            continue
        if text is None or (description is not None and text in description):
            return hint
    return None


def request_token(
    http: httpx.Client,
    endpoint: str,
    form: Mapping[str, str | list[str]],
    headers: dict[str, str],
    now: float,
    grant: str,
    limits: FetchLimits = DEFAULT_LIMITS,
) -> AccessToken:
    """Post a token request; the token, or `GrantError` / `IssuerError` saying what went wrong."""
    request = http.build_request("POST", endpoint, data=form, headers=headers)
    response = fetch_sync(http, request, limits, "token request")
    if response.status_code != 200:
        raise _grant_error(response, grant)
    data = json_object(response, "token request")
    token, token_type = data.get("access_token"), data.get("token_type")
    if not isinstance(token, str) or not token or not isinstance(token_type, str):
        raise IssuerFailed(f"token endpoint {endpoint} answered 200 with no token (RFC 6749 §5.1)")
    expires_in = data.get("expires_in")
    scope = data.get("scope")
    return AccessToken(
        access_token=token,
        token_type=token_type,
        expires_in=_seconds(expires_in),
        scope=scope if isinstance(scope, str) else None,
        obtained_at=now,
    )


def _seconds(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _grant_error(response: httpx.Response, grant: str) -> GrantError:
    try:
        data = json_object(response, "token request")
    except IssuerFailed:
        data = {}
    error = data.get("error")
    error = error if isinstance(error, str) else "invalid_response"
    description = data.get("error_description")
    description = description if isinstance(description, str) else None
    return GrantError(error, description, response.status_code, hint_for(grant, error, description))
