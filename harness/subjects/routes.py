"""A subject file's ``[routes]``: each route a path (a GET) or a table naming the request.

``private = "/api/private"`` is ``GET /api/private``. A table gives the whole request the
checks send (with their own credentials)::

    [routes.private]
    path = "/api/orders"               # required; starts with "/", may carry a query
    method = "POST"                    # default GET
    headers = { X-Tenant = "acme" }    # sent as given; never Authorization (the checks set it)
    json = { item = 1, count = 2 }     # a JSON body (Content-Type application/json added)
    # body = "raw text"                # or a body as is (give its Content-Type in headers)

Methods are RFC 9110 §9's (and PATCH, RFC 5789); header names are RFC 9110 §5.1 tokens.
A mistake is a `SubjectError` naming the file and the key (``routes.private.method``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from harness.model.routes import Header, Route, Routes
from harness.subjects.keys import Keys

ROUTE_NAMES = ("public", "private", "scoped")
ROUTE_KEYS = (*ROUTE_NAMES, "role")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_TABLE_KEYS = frozenset({"path", "method", "headers", "body", "json"})
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 §5.6.2
_SET_BY_THE_HARNESS = {"authorization": "the checks set it", "host": "the URL gives it",
                       "content-length": "the body gives it"}  # fmt: skip
DEFAULTS = Routes()


def read_routes(keys: Keys, table: object) -> Routes:
    """The ``[routes]`` table as `Routes`; left-out routes take the samples' paths."""
    if not isinstance(table, dict):
        raise keys.error("routes", "must be a table ([routes])")
    keys.only(table, frozenset(ROUTE_KEYS), "routes.")
    # A [routes] table that leaves out `scoped` (or sets it to "") says there is none.
    scoped_given = ("scoped" in table or not table) and table.get("scoped") != ""
    public = _route(keys, table, "public", DEFAULTS.public)
    private = _route(keys, table, "private", DEFAULTS.private)
    scoped = _route(keys, table, "scoped", DEFAULTS.scoped) if scoped_given else None
    role = keys.text(table, "role", "", prefix="routes.") or DEFAULTS.role
    return Routes(public=public, private=private, scoped=scoped, role=role)


def _route(keys: Keys, table: Mapping[str, Any], name: str, default: Route | None) -> Route:
    value = table.get(name)
    if value is None and default is not None:
        return default
    if isinstance(value, dict):
        return _request(keys, value, f"routes.{name}")
    if not isinstance(value, str):
        raise keys.error(f"routes.{name}", "must be a path (a string) or a table with path = ...")
    return Route(keys.route(table, name, "", prefix="routes."))


def _request(keys: Keys, table: dict[str, Any], key: str) -> Route:
    keys.only(table, _TABLE_KEYS, f"{key}.")
    if "path" not in table:
        raise keys.error(f"{key}.path", 'is missing: the route\'s path, e.g. path = "/api/x"')
    method = keys.text(table, "method", "GET", prefix=f"{key}.")
    if method not in METHODS:
        raise keys.error(f"{key}.method", f"is {method!r}; allowed: {' | '.join(METHODS)}")
    headers = _headers(keys, table.get("headers", {}), f"{key}.headers")
    body = _body(keys, table, key)
    if "json" in table and not any(n.lower() == "content-type" for n, _ in headers):
        headers.append(("Content-Type", "application/json"))
    path = keys.route(table, "path", "", prefix=f"{key}.")
    return Route(path, method, tuple(headers), body)


def _headers(keys: Keys, table: object, key: str) -> list[Header]:
    if not isinstance(table, dict):
        raise keys.error(key, 'must be a table of Name = "value", e.g. { X-Tenant = "acme" }')
    headers = []
    for name, value in table.items():
        if not _TOKEN.match(name):
            raise keys.error(f"{key}.{name}", "is not a valid header name (RFC 9110 §5.1)")
        if name.lower() in _SET_BY_THE_HARNESS:
            raise keys.error(
                f"{key}.{name}", f"cannot be given: {_SET_BY_THE_HARNESS[name.lower()]}"
            )
        if not isinstance(value, str) or any(c in value for c in "\r\n\0"):
            raise keys.error(f"{key}.{name}", "must be a string on one line")
        headers.append((name, value))
    return headers


def _body(keys: Keys, table: Mapping[str, Any], key: str) -> bytes:
    if "body" in table and "json" in table:
        raise keys.error(f"{key}.json", "and body are both given: give one")
    if "json" in table:
        return json.dumps(table["json"], separators=(",", ":"), default=str).encode()
    return keys.text(table, "body", "", prefix=f"{key}.").encode()
