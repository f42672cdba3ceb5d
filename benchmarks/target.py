"""What the load sends: one request shape, with a token from the pool in each request.

Two shapes are measured. An API's route gets `GET path` with `Authorization: Bearer <token>`
(RFC 6750 §2.1, https://www.rfc-editor.org/rfc/rfc6750#section-2.1). The mock issuer's
introspection endpoint gets what an API sends it: `POST` with the API app's client_secret_basic
header and the form `token=<token>` (RFC 7662 §2.1,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1). Both load generators (wrk and the
in-repo driver) build their requests from a `Target`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

TokenPlace = Literal["bearer", "form"]
FORM = "application/x-www-form-urlencoded"
# base64url, JWT dots and the b64token extras: nothing that needs quoting in a header, a form
# or a Lua string literal.
_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]+")


@dataclass(frozen=True)
class Target:
    """A request shape: where it goes, its fixed headers, and where the token goes."""

    base_url: str
    path: str
    method: str = "GET"
    token_in: TokenPlace = "bearer"
    headers: dict[str, str] = field(default_factory=dict)
    warm_path: str = "/api/public"

    @property
    def url(self) -> str:
        """The full URL of the measured request."""
        return self.base_url + self.path

    def request_headers(self, token: str) -> dict[str, str]:
        """The headers of one request carrying `token`."""
        if self.token_in == "bearer":
            return self.headers | {"Authorization": f"Bearer {token}"}
        return self.headers | {"Content-Type": FORM}

    def body(self, token: str) -> bytes | None:
        """The body of one request carrying `token` (None for a bearer GET)."""
        return None if self.token_in == "bearer" else f"token={token}".encode("ascii")


def route(base_url: str, path: str) -> Target:
    """An API route called with a bearer token."""
    return Target(base_url, path)


def introspection(base_url: str, path: str, basic_authorization: str) -> Target:
    """The issuer's introspection endpoint, called as an API with client_secret_basic calls it."""
    return Target(
        base_url,
        path,
        method="POST",
        token_in="form",
        headers={"Authorization": basic_authorization},
        warm_path="/.well-known/openid-configuration",
    )


def checked_tokens(tokens: list[str]) -> list[str]:
    """`tokens` unchanged if each is a plain token; ValueError (no token shown) otherwise."""
    for index, token in enumerate(tokens):
        if not _TOKEN.fullmatch(token):
            raise ValueError(f"token #{index} has characters a load script cannot carry as is")
    return tokens
