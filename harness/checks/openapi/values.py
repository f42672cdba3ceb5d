"""Values for an OpenAPI document's schemas: a small valid one, and one the schema refuses.

The document's ``$ref``s are followed by `referencing` (jsonschema's), and every value is
judged by openapi-schema-validator in the document's own dialect (OpenAPI 3.0's schema object,
or JSON Schema 2020-12 for 3.1 and 3.2). The value built here is a deterministic first guess
(the schema's own ``const``, ``enum``, ``default`` or example, else the smallest value of its
type and bounds); the validator says whether it holds, and the report says when it does not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

DOCUMENT = "urn:harness:openapi"  # the base URI the document is registered under
Resolver = Any  # referencing's resolver (its class is not among the package's names)
_DEPTH = 16  # nested schemas followed before giving up (a recursive schema)
_FORMATS = {"date-time": "2026-01-01T00:00:00Z", "date": "2026-01-01", "time": "00:00:00Z",
            "uuid": "00000000-0000-4000-8000-000000000000", "email": "user@example.com",
            "uri": "https://example.com/", "url": "https://example.com/",
            "hostname": "example.com", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1",
            "byte": "YQ=="}  # fmt: skip
# Tried in turn for a value the schema refuses: JSON values of every type.
_WRONG: tuple[Any, ...] = ([], "", 0, None, {}, True)


class SchemaValues:
    """Builds and judges values for the schemas of one OpenAPI document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        # Imported here (0.2 s): a run's main process plans and reports, and validates nothing.
        import openapi_schema_validator as validators

        old = str(document.get("openapi", "")).startswith("3.0")
        dialect = DRAFT4 if old else DRAFT202012
        resource = Resource.from_contents(document, default_specification=dialect)
        self._registry: Registry[Any] = Registry().with_resource(DOCUMENT, resource)
        self.resolver: Resolver = self._registry.resolver(base_uri=DOCUMENT)
        self._validator = validators.OAS30Validator if old else validators.OAS31Validator
        self._formats = validators.oas30_format_checker if old else validators.oas31_format_checker

    def deref(self, node: Any) -> Any:
        """``node``, or what its ``$ref`` points at (followed until it is no reference)."""
        resolver = self.resolver
        for _ in range(_DEPTH):
            if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
                return node
            resolved = resolver.lookup(node["$ref"])
            node, resolver = resolved.contents, resolved.resolver
        return node

    def example(self, pointer: str) -> Any:
        """A small value for the schema at ``pointer`` (a JSON pointer into the document)."""
        return _example({"$ref": f"#{pointer}"}, self.resolver, 0)

    def valid(self, value: Any, pointer: str) -> bool:
        """Whether ``value`` is valid for the schema at ``pointer``."""
        schema = {"$ref": f"{DOCUMENT}#{pointer}"}
        validator = self._validator(schema, registry=self._registry, format_checker=self._formats)
        return bool(validator.is_valid(value))

    def refused(self, pointer: str) -> tuple[bool, Any]:
        """A JSON value the schema at ``pointer`` refuses: (True, value), or (False, None)."""
        for value in _WRONG:
            if not self.valid(value, pointer):
                return True, value
        return False, None


def _example(schema: Any, resolver: Resolver, depth: int) -> Any:
    if depth > _DEPTH or not isinstance(schema, Mapping):
        return None
    if isinstance(schema.get("$ref"), str):
        resolved = resolver.lookup(schema["$ref"])
        return _example(resolved.contents, resolved.resolver, depth + 1)
    for key in ("const", "default", "example"):
        if key in schema:
            return schema[key]
    for key in ("enum", "examples"):
        if isinstance(schema.get(key), list) and schema[key]:
            return schema[key][0]
    if isinstance(schema.get("allOf"), list):
        return _all_of(schema["allOf"], resolver, depth)
    for key in ("anyOf", "oneOf"):
        choices = [c for c in schema.get(key) or () if not _is_null(c)]
        if choices:
            return _example(choices[0], resolver, depth + 1)
    return _of_type(schema, _type(schema), resolver, depth)


def _all_of(parts: list[Any], resolver: Resolver, depth: int) -> Any:
    values = [_example(part, resolver, depth + 1) for part in parts]
    if values and all(isinstance(v, dict) for v in values):
        return {k: v for value in values for k, v in value.items()}
    return values[-1] if values else None


def _type(schema: Mapping[str, Any]) -> str:
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), "null")
    if isinstance(declared, str):
        return declared
    if "properties" in schema or "required" in schema:
        return "object"
    return "array" if "items" in schema else "string"


def _of_type(schema: Mapping[str, Any], kind: str, resolver: Resolver, depth: int) -> Any:
    if kind == "object":
        properties = schema.get("properties") or {}
        required = [n for n in schema.get("required") or () if isinstance(n, str)]
        return {n: _example(properties.get(n, {}), resolver, depth + 1) for n in required}
    if kind == "array":
        item = _example(schema.get("items", {}), resolver, depth + 1)
        return [item] * int(schema.get("minItems", 0) or 0)
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema)


def _string(schema: Mapping[str, Any]) -> str:
    if schema.get("format") in _FORMATS:
        return _FORMATS[str(schema["format"])]
    shortest = max(int(schema.get("minLength", 1) or 1), 1)
    return "a" * min(shortest, int(schema.get("maxLength", shortest)))


def _number(schema: Mapping[str, Any], integer: bool) -> int | float:
    low, strict = _bound(schema, "minimum", "exclusiveMinimum")
    high, _ = _bound(schema, "maximum", "exclusiveMaximum")
    value = 1.0 if low is None else low + ((1 if integer else 0.5) if strict else 0)
    if high is not None and value > high:
        value = high
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and step > 0:
        value = math.ceil(value / step) * step
    return math.ceil(value) if integer else value


def _bound(schema: Mapping[str, Any], inclusive: str, exclusive: str) -> tuple[float | None, bool]:
    """A bound and whether it is exclusive (3.1: a number of its own; 3.0: a flag beside it)."""
    if _is_number(schema.get(exclusive)):
        return float(schema[exclusive]), True
    if _is_number(schema.get(inclusive)):
        return float(schema[inclusive]), schema.get(exclusive) is True
    return None, False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_null(schema: Any) -> bool:
    return isinstance(schema, Mapping) and schema.get("type") == "null"
