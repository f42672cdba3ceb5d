"""The operations of an OpenAPI document: declared security, and the smallest valid request."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.checks.openapi.operations import Guard, Operation, operations_of
from harness.checks.openapi.values import SchemaValues
from harness.subjects.openapi import parse_document

BEARER = {"bearer": {"type": "http", "scheme": "bearer"}, "oauth": {"type": "oauth2", "flows": {
    "clientCredentials": {"tokenUrl": "https://issuer/token", "scopes": {"orders:write": "w"}}}},
    "key": {"type": "apiKey", "in": "header", "name": "X-Key"}}  # fmt: skip
OK = {"200": {"description": "ok"}}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "orders", "version": "1"},
    "servers": [{"url": "https://api.example.com/{stage}/",
                 "variables": {"stage": {"default": "v1"}}}],
    "security": [{"bearer": []}],
    "paths": {
        "/health": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
        "/orders/{order_id}": {
            "parameters": [{"name": "order_id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 10, "multipleOf": 5}}],
            "get": {"parameters": [
                        {"name": "view", "in": "query", "required": True,
                         "schema": {"enum": ["full", "short"]}},
                        {"name": "X-Trace", "in": "header", "required": True,
                         "schema": {"type": "string", "format": "uuid"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok"}}},
            "delete": {"security": [{"oauth": ["orders:write"]}, {"bearer": ["admin", "ops"]}],
                       "responses": {"204": {"description": "gone"}}},
        },
        "/orders": {"post": {
            "requestBody": {"$ref": "#/components/requestBodies/NewOrder"},
            "responses": {"201": {"description": "made"}}}},
        "/legacy": {"get": {"security": [{"key": []}], "responses": OK},
                    "put": {"security": [{"key": []}, {}], "responses": OK}},
    },
    "components": {
        "securitySchemes": BEARER,
        "requestBodies": {"NewOrder": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Order"}}}}},
        "schemas": {
            "Order": {"type": "object", "required": ["item", "count", "lines"], "properties": {
                "item": {"type": "string", "minLength": 3},
                "count": {"type": "integer", "exclusiveMinimum": 0},
                "lines": {"type": "array", "minItems": 1,
                          "items": {"$ref": "#/components/schemas/Line"}},
                "note": {"type": ["string", "null"]}}},
            "Line": {"anyOf": [{"type": "null"}, {"type": "object", "required": ["sku"],
                     "properties": {"sku": {"type": "string", "pattern": "^[a-z]+$"}}}]},
        },
    },
}  # fmt: skip


def _by_label() -> dict[str, Operation]:
    document = parse_document(json.dumps(DOCUMENT))  # the validator takes it
    return {op.label: op for op in operations_of(document)}


def test_every_operation_is_listed_with_the_security_it_declares_or_inherits() -> None:
    found = {label: (op.guard, op.scopes) for label, op in _by_label().items()}
    assert found == {
        "GET /health": (Guard.PUBLIC, ()),  # security: [] overrides the document's
        "GET /orders/{order_id}": (Guard.BEARER, ()),  # the document's bearer
        "DELETE /orders/{order_id}": (Guard.BEARER, ("orders:write",)),  # the fewest scopes
        "POST /orders": (Guard.BEARER, ()),
        "GET /legacy": (Guard.OTHER, ()),  # an API key is no bearer token
        "PUT /legacy": (Guard.PUBLIC, ()),  # an empty alternative: security is optional
    }


def test_a_request_fills_path_query_and_header_parameters_under_the_server_path() -> None:
    get = _by_label()["GET /orders/{order_id}"].request
    assert (get.method, get.path) == ("GET", "/v1/orders/10?view=full")  # page is optional
    assert get.headers == (("X-Trace", "00000000-0000-4000-8000-000000000000"),)
    assert _by_label()["DELETE /orders/{order_id}"].request.path == "/v1/orders/10"


def test_a_body_is_built_through_references_and_a_refused_one_is_found() -> None:
    post = _by_label()["POST /orders"]
    assert post.request.headers == (("Content-Type", "application/json"),)
    assert json.loads(post.request.body) == {"item": "aaa", "count": 1, "lines": [{"sku": "a"}]}
    assert post.note == ""  # the validator takes the body built
    assert post.refused_body == b"[]"


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "number", "exclusiveMinimum": 2.5, "maximum": 9}, 3.0),
        ({"type": "string", "maxLength": 0}, ""),
        ({"allOf": [{"type": "object", "required": ["a"], "properties": {"a": {"const": 1}}},
                    {"required": ["b"], "properties": {"b": {"type": "boolean"}}}]},
         {"a": 1, "b": True}),
        ({"type": "array", "items": {"type": "string"}}, []),
        ({"default": "x", "type": "string"}, "x"),
    ],
)  # fmt: skip
def test_values_are_the_smallest_the_schema_allows(schema: dict[str, Any], value: Any) -> None:
    document = {"openapi": "3.1.0", "components": {"schemas": {"S": schema}}}
    values = SchemaValues(document)
    assert values.example("/components/schemas/S") == value
    assert values.valid(value, "/components/schemas/S")


def test_a_value_the_pattern_refuses_is_noted_not_hidden() -> None:
    document = {"openapi": "3.0.3", "components": {"schemas": {
        "S": {"type": "string", "pattern": "^[0-9]+$", "nullable": True}}}}  # fmt: skip
    values = SchemaValues(document)
    assert values.example("/components/schemas/S") == "a"
    assert not values.valid("a", "/components/schemas/S")
    assert values.valid(None, "/components/schemas/S")  # OpenAPI 3.0's nullable


def test_openapi_3_0_s_exclusive_minimum_is_a_flag_beside_the_minimum() -> None:
    schema = {"type": "integer", "minimum": 0, "exclusiveMinimum": True}
    values = SchemaValues({"openapi": "3.0.3", "components": {"schemas": {"S": schema}}})
    assert values.example("/components/schemas/S") == 1
    assert values.valid(1, "/components/schemas/S")
    assert not values.valid(0, "/components/schemas/S")
