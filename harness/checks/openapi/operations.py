"""The operations an OpenAPI document lists, each with its declared security and a request.

OpenAPI 3.1 (https://spec.openapis.org/oas/v3.1.0): an operation's ``security`` (§4.8.10), or
else the document's, is a list of alternatives (§4.8.30), each naming schemes (§4.8.27) and,
per scheme, the scopes (OAuth 2.0) or roles (other schemes) it needs; an empty alternative
makes security optional. A bearer token satisfies an ``http`` scheme ``bearer``, ``oauth2``
and ``openIdConnect``. Each operation gets the smallest request its parameters and body ask
for (`values.SchemaValues`), the path prefixed with the first server's path.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from harness.checks.openapi.values import SchemaValues
from harness.model.routes import Header, Route

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_BEARER = frozenset({"oauth2", "openidconnect"})
_IGNORED_HEADERS = frozenset({"authorization", "content-type", "accept"})  # OpenAPI §4.8.12


class Guard(enum.StrEnum):
    """What an operation's declared security asks for."""

    PUBLIC = "public"  # no security, or an empty alternative (optional)
    BEARER = "bearer"  # a bearer token (with scopes or roles, or none)
    OTHER = "other"  # only schemes a bearer token does not satisfy (apiKey, basic, mutualTLS)


@dataclass(frozen=True)
class Operation:
    """One operation: its security, and the request that reaches it (less the credentials)."""

    method: str
    template: str
    guard: Guard
    scopes: tuple[str, ...] = ()
    request: Route = Route("/")  # noqa: RUF009  (a frozen dataclass, shared safely)
    refused_body: bytes | None = None  # a JSON body the schema refuses (None: no JSON body)
    note: str = ""  # what of the request is not known to be valid

    @property
    def label(self) -> str:
        """``METHOD /template``, as the document names it."""
        return f"{self.method} {self.template}"


def operations_of(document: Mapping[str, Any]) -> tuple[Operation, ...]:
    """Every operation of ``document`` (a valid OpenAPI 3 document), in its order."""
    values = SchemaValues(document)
    prefix = _base_path(document)
    found = []
    for template, item in (document.get("paths") or {}).items():
        at = f"/paths/{_escape(template)}"
        item = values.deref(item)
        for method in METHODS:
            if isinstance(item.get(method), Mapping):
                where = (item, at, method)
                found.append(_operation(document, values, prefix + template, template, where))
    return tuple(found)


def _operation(
    document: Mapping[str, Any], values: SchemaValues, path: str, template: str,
    where: tuple[Mapping[str, Any], str, str],
) -> Operation:  # fmt: skip
    item, at, method = where
    operation = item[method]
    guard, scopes = _security(document, operation.get("security", document.get("security")))
    parameters = _parameters(values, item, operation, at, method)
    notes: list[str] = []
    target, headers = _filled(values, path, parameters, notes)
    body, refused = _body(values, operation.get("requestBody"), f"{at}/{method}/requestBody",
                          headers, notes)  # fmt: skip
    request = Route(target, method.upper(), tuple(headers), body)
    return Operation(method.upper(), template, guard, scopes, request, refused, "; ".join(notes))


def _security(document: Mapping[str, Any], declared: Any) -> tuple[Guard, tuple[str, ...]]:
    """The guard of a security declaration, and the fewest scopes a bearer alternative needs."""
    if not declared:
        return Guard.PUBLIC, ()
    schemes = ((document.get("components") or {}).get("securitySchemes")) or {}
    bearer: list[tuple[str, ...]] = []
    for alternative in declared:
        if not alternative:
            return Guard.PUBLIC, ()
        if all(_takes_bearer(schemes.get(name)) for name in alternative):
            needed = (scope for name in alternative for scope in alternative[name])
            bearer.append(tuple(dict.fromkeys(needed)))
    if not bearer:
        return Guard.OTHER, ()
    return Guard.BEARER, min(bearer, key=len)


def _takes_bearer(scheme: Any) -> bool:
    if not isinstance(scheme, Mapping):
        return False
    kind = str(scheme.get("type", "")).lower()
    http_bearer = kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer"
    return kind in _BEARER or http_bearer


def _parameters(
    values: SchemaValues, item: Mapping[str, Any], operation: Mapping[str, Any], at: str,
    method: str,
) -> dict[tuple[str, str], tuple[Mapping[str, Any], str]]:  # fmt: skip
    """The parameters (item's, then the operation's over them) with their schema's pointer."""
    found = {}
    for owner, base in ((item, at), (operation, f"{at}/{method}")):
        for n, node in enumerate(owner.get("parameters") or ()):
            pointer = _pointer(node, f"{base}/parameters/{n}")
            parameter = values.deref(node)
            found[(str(parameter.get("name")), str(parameter.get("in")))] = (parameter, pointer)
    return found


def _filled(
    values: SchemaValues, path: str,
    parameters: dict[tuple[str, str], tuple[Mapping[str, Any], str]], notes: list[str],
) -> tuple[str, list[Header]]:  # fmt: skip
    """The path with its parameters filled in and the required query; the required headers."""
    query: list[tuple[str, str]] = []
    headers: list[Header] = []
    for (name, where), (parameter, pointer) in parameters.items():
        if where != "path" and not parameter.get("required"):
            continue
        text = _text(values, parameter, f"{pointer}/schema", f"{where} parameter {name}", notes)
        if where == "path":
            path = path.replace("{" + name + "}", quote(text, safe=""))
        elif where == "query":
            query.append((name, text))
        elif where == "header" and name.lower() not in _IGNORED_HEADERS:
            headers.append((name, text))
        elif where == "cookie":
            headers.append(("Cookie", f"{name}={text}"))
    return path + ("?" + urlencode(query) if query else ""), headers


def _text(
    values: SchemaValues, parameter: Mapping[str, Any], pointer: str, what: str, notes: list[str]
) -> str:
    if "schema" not in parameter:
        notes.append(f"{what}: no schema, sent as 'a'")
        return "a"
    value = values.example(pointer)
    if not values.valid(value, pointer):
        notes.append(f"{what}: no valid value built")
    value = value[0] if isinstance(value, list) and value else value  # one item of an array
    return value if isinstance(value, str) else json.dumps(value)


def _body(
    values: SchemaValues, node: Any, at: str, headers: list[Header], notes: list[str]
) -> tuple[bytes, bytes | None]:
    """The smallest valid body (b'' when none is required) and a JSON body the schema refuses."""
    if node is None:
        return b"", None
    at = _pointer(node, at)
    body = values.deref(node)
    content = body.get("content") or {}
    if not content:
        return b"", None
    media = next((m for m in content if m.split(";")[0].strip().endswith(("/json", "+json"))),
                 next(iter(content), ""))  # fmt: skip
    pointer = f"{at}/content/{_escape(media)}/schema"
    is_json = media.split(";")[0].strip().endswith(("/json", "+json"))
    refused = None
    if is_json and "schema" in content[media]:
        wrong, value = values.refused(pointer)
        refused = json.dumps(value).encode() if wrong else None
    if not body.get("required"):
        return b"", refused
    headers.append(("Content-Type", media))
    value = values.example(pointer) if "schema" in content[media] else {}
    if "schema" in content[media] and not values.valid(value, pointer):
        notes.append(f"body ({media}): no valid value built")
    if is_json:
        return json.dumps(value).encode(), refused
    if media.startswith("application/x-www-form-urlencoded") and isinstance(value, dict):
        return urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}
                         ).encode(), refused  # fmt: skip
    if not media.startswith("text/"):
        notes.append(f"body ({media}): sent as the text 'a'")
    return (value if isinstance(value, str) else "a").encode(), refused


def _base_path(document: Mapping[str, Any]) -> str:
    """The path of the first server's URL (its variables at their defaults), or ''."""
    servers = document.get("servers") or [{}]
    url = str(servers[0].get("url", ""))
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return urlsplit(url).path.rstrip("/")


def _pointer(node: Any, default: str) -> str:
    """Where ``node``'s content is: its local ``$ref`` target, else ``default``."""
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    return ref[1:] if isinstance(ref, str) and ref.startswith("#/") else default


def _escape(key: str) -> str:
    """A key as one JSON pointer segment (RFC 6901 §3), percent-encoded for a URI fragment."""
    return quote(key.replace("~", "~0").replace("/", "~1"), safe="~")
