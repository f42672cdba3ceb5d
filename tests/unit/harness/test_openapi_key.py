"""The subject file's ``openapi`` key: a path on the API, or a file beside it, validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.subjects.file import SubjectError, load_subject
from harness.subjects.openapi import OpenApiError, OpenApiSource, parse_document

MINIMAL = 'name = "x"\nmechanism = "client_secret_basic"\ncommand = ["run", "{port}"]\n'
YAML_DOCUMENT = 'openapi: "3.0.3"\ninfo: {title: orders, version: "1"}\npaths: {}\n'


def _load(tmp_path: Path, line: str) -> Path:
    path = tmp_path / "subject.toml"
    path.write_text(MINIMAL + line + "\n", encoding="utf-8")
    return path


def test_a_path_on_the_api_is_kept_as_it_is(tmp_path: Path) -> None:
    subject = load_subject(_load(tmp_path, 'openapi = "/openapi.json"'))
    assert subject.openapi == OpenApiSource(path="/openapi.json")


def test_no_key_means_no_document(tmp_path: Path) -> None:
    assert load_subject(_load(tmp_path, "")).openapi is None


def test_a_file_beside_the_subject_file_is_read_and_validated_yaml_too(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "orders.yaml").write_text(YAML_DOCUMENT, encoding="utf-8")
    subject = load_subject(_load(tmp_path, 'openapi = "specs/orders.yaml"'))
    assert subject.openapi == OpenApiSource(file=tmp_path.resolve() / "specs" / "orders.yaml")


@pytest.mark.parametrize(
    ("line", "files", "message"),
    [
        ("openapi = 7", {}, "openapi must be a string, not int"),
        ('openapi = "https://example.com/openapi.json"', {}, "not a URL"),
        ('openapi = "missing.json"', {}, "names missing.json, which cannot be read"),
        ('openapi = "o.json"', {"o.json": '{"swagger": "2.0"}'}, "its version is swagger 2.0"),
        ('openapi = "o.json"', {"o.json": "[1"}, "is neither JSON nor YAML"),
        ('openapi = "o.json"', {"o.json": '{"openapi": "3.1.0", "info": {"title": "t"}}'},
         "is no valid OpenAPI document: at info: 'version' is a required property"),
    ],
)  # fmt: skip
def test_a_bad_openapi_key_names_the_file_and_the_key(
    tmp_path: Path, line: str, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(SubjectError) as caught:
        load_subject(_load(tmp_path, line))
    assert str(caught.value).startswith(f"{tmp_path / 'subject.toml'}: openapi ")
    assert message in str(caught.value)


def test_a_reference_to_nowhere_is_named_not_quoted_with_the_document() -> None:
    gone = {"200": {"$ref": "#/components/responses/gone"}}
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {"responses": gone}}}}  # fmt: skip
    text = json.dumps(document)
    with pytest.raises(OpenApiError) as caught:
        parse_document(text)
    assert str(caught.value) == (
        "is no valid OpenAPI document: $ref /components/responses/gone points nowhere"
    )
