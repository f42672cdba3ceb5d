"""Copy-as-curl: an exchange of the report as a command line, secrets as shell variables.

The exchanges are redacted when recorded, so a secret is only ever a `[REDACTED:…]` mark
here; each mark becomes a variable the reader sets first (``$TOKEN`` for a bearer token,
RFC 6750 §2.1; for Basic, RFC 7617 §2, ``$API_CLIENT_ID:$API_CLIENT_SECRET`` where an API
introspects, else ``$CLIENT_ID:$CLIENT_SECRET``, as the mock issuer's ``.env`` names them;
``$TOKEN`` or ``$CLIENT_ASSERTION`` for the form fields of introspection, RFC 7662 §2.1).
Tokens that the checks made up on purpose (garbage, malformed) stay literal, so the line
reproduces the check.
"""

from __future__ import annotations

import re
import shlex
from urllib.parse import parse_qsl

from harness.model.results import TRUNCATED_MARK, Exchange

_REDACTED = re.compile(r"\[REDACTED:[0-9a-f]+\]")
_SHOWN_HEADERS = frozenset({"authorization", "content-type", "accept"})
_DOUBLE_QUOTED = str.maketrans({"\\": "\\\\", '"': '\\"', "$": "\\$", "`": "\\`"})


def curl_line(exchange: Exchange) -> str:
    """``curl -i -X METHOD URL ...`` reproducing the request, with no secret in it."""
    parts = ["curl", "-i", "-X", exchange.method, _argument(exchange.url, "SECRET")]
    basic = "API_CLIENT" if exchange.url.split("?")[0].endswith("/introspect") else "CLIENT"
    for name, value in exchange.request_headers.items():
        if name.lower() in _SHOWN_HEADERS:
            parts += _header(name, value, basic)
    if exchange.request_body:
        parts += _body(exchange.request_body, exchange.request_headers)
    return " ".join(parts)


def _header(name: str, value: str, basic: str = "CLIENT") -> list[str]:
    scheme, _, credentials = value.partition(" ")
    if name.lower() == "authorization" and _REDACTED.search(credentials):
        if scheme.lower() == "basic":
            return ["-u", f'"${basic}_ID:${basic}_SECRET"']
        return ["-H", _argument(f"{name}: {scheme} {credentials}", "TOKEN")]
    return ["-H", _argument(f"{name}: {value}", "SECRET")]


def _body(body: str, headers: dict[str, str]) -> list[str]:
    form = "x-www-form-urlencoded" in " ".join(headers.values())
    if TRUNCATED_MARK in body or not form:
        return ["--data-raw", _argument(body, "SECRET")]
    parts = []
    for name, value in parse_qsl(body, keep_blank_values=True):
        variable = re.sub(r"[^A-Z0-9_]", "_", name.upper()) or "SECRET"
        parts += ["--data-urlencode", _argument(f"{name}={value}", variable)]
    return parts


def _argument(text: str, variable: str) -> str:
    """One shell word: single-quoted when literal, double-quoted around ``$variable`` marks."""
    if not _REDACTED.search(text):
        return shlex.quote(text)
    pieces = [piece.translate(_DOUBLE_QUOTED) for piece in _REDACTED.split(text)]
    return '"' + f"${{{variable}}}".join(pieces) + '"'
