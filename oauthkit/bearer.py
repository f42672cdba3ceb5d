"""Reading a bearer token from the `Authorization` request header.

RFC 6750 §2.1 (https://www.rfc-editor.org/rfc/rfc6750#section-2.1):

    credentials = "Bearer" 1*SP b64token
    b64token    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="

The scheme is case-insensitive (RFC 9110 §11.1). A request with no credentials, or with another
scheme, is answered with a bare challenge (RFC 6750 §3.1); a Bearer header that does not match
the grammar is an `invalid_request`. The challenges themselves are built by `oauthkit.errors`.

Only the header is read (§2.1). A token in the query (§2.3) alone counts as no credentials; in
the query and the header at once it is an `invalid_request` (§2: "Clients MUST NOT use more
than one method"). A token that matches the grammar but cannot be a token (longer than
:data:`MAX_TOKEN_LENGTH`, or more dots than a JWE's four) is refused without asking the issuer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from oauthkit.errors import InvalidRequest, MissingToken

_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
SCHEME = "bearer"
QUERY_PARAMETER = "access_token"
MAX_TOKEN_LENGTH = 8192
MAX_DOTS = 4  # a JWS compact serialization has two, a JWE five parts (RFC 7516 §7.1)


def parse_request(authorization: Sequence[str], query_tokens: int) -> str:
    """The bearer token of a request with these `Authorization` values and query tokens.

    Like `parse_authorization`, and refuses a token in the header and the query at once.
    """
    if query_tokens and authorization:
        raise InvalidRequest(
            "token in the Authorization header and in the query (RFC 6750 §2)",
            description="Send the token in one place only: the Authorization header.",
        )
    if query_tokens:
        raise MissingToken("token in the query only, which this API does not read (RFC 6750 §2.3)")
    return parse_authorization(authorization)


def implausible(token: str) -> str:
    """Why ``token`` cannot be an access token ('' when it may be one)."""
    if len(token) > MAX_TOKEN_LENGTH:
        return f"token of {len(token)} characters (more than {MAX_TOKEN_LENGTH})"
    if token.count(".") > MAX_DOTS:
        return f"token with {token.count('.')} dots (a JWT has at most {MAX_DOTS})"
    return ""


def parse_authorization(values: Sequence[str]) -> str:
    """Return the bearer token from the request's `Authorization` header values.

    `values` holds every `Authorization` field of the request (usually zero or one).
    Raises `MissingToken` when there is none or it uses another scheme, and `InvalidRequest`
    when there are several or the Bearer credentials are malformed.
    """
    if not values:
        raise MissingToken("no Authorization header")
    if len(values) > 1:
        raise InvalidRequest(
            "several Authorization headers",
            description="Send exactly one Authorization header.",
        )
    return _parse_one(values[0].strip(" \t"))


def _parse_one(value: str) -> str:
    scheme, _, rest = value.partition(" ")
    if not scheme:
        raise InvalidRequest("empty Authorization header")
    if scheme.lower() != SCHEME:
        raise MissingToken("Authorization header uses another scheme than Bearer")
    token = rest.lstrip(" ")
    if not token:
        raise InvalidRequest(
            "Bearer without a token", description="The Authorization header has no token."
        )
    if " " in token or "\t" in token:
        raise InvalidRequest(
            "more than one token", description="The Authorization header has more than one token."
        )
    if not _B64TOKEN.fullmatch(token):
        raise InvalidRequest(
            "token outside the b64token syntax",
            description="The token has characters not allowed by RFC 6750 §2.1.",
        )
    return token
