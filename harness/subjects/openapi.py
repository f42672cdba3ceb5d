"""A subject's OpenAPI document: where it is (the ``openapi`` key), and reading it.

``openapi = "/openapi.json"`` is a path on the API (fetched by the checks when they run);
``openapi = "openapi.yaml"`` is a file beside the subject file (read and validated when the
file is loaded, so a mistake stops the run before it starts). Either is OpenAPI 3.0, 3.1 or 3.2,
in JSON or YAML, validated by openapi-spec-validator against the specification's own schema
(https://spec.openapis.org/oas/v3.1.0). A problem is an `OpenApiError` (subject files: a
`SubjectError` naming the file and the key).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.subjects.keys import Keys

SAMPLES_DOCUMENT = "/openapi.json"  # where FastAPI, so the samples, serve theirs
_INVALID = "is no valid OpenAPI document"
_SHOWN = 300  # of a validator's message, which may quote the document


class OpenApiError(ValueError):
    """An OpenAPI document that cannot be used; the message says why."""


@dataclass(frozen=True)
class OpenApiSource:
    """Where a subject's OpenAPI document is: a ``path`` on the API, or a ``file``."""

    path: str = ""
    file: Path | None = None

    @property
    def label(self) -> str:
        """Where it is, for reports."""
        return str(self.file) if self.file is not None else f"the API's {self.path}"


def read_openapi(keys: Keys, data: Mapping[str, Any], folder: Path) -> OpenApiSource | None:
    """The subject file's ``openapi`` key (None when absent); a file is read and validated."""
    if "openapi" not in data:
        return None
    value = keys.text(data, "openapi", "")
    if value.startswith("/"):
        return OpenApiSource(path=keys.route(data, "openapi", ""))
    if not value or "://" in value:
        raise keys.error("openapi", 'must be a path on the API ("/openapi.json") or a file '
                         'beside the subject file ("openapi.yaml"), not a URL')  # fmt: skip
    file = (folder / value).resolve()
    try:
        parse_document(file.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise keys.error("openapi", f"names {value}, which cannot be read ({type(exc).__name__}; "
                         "relative to the subject file's folder)") from None  # fmt: skip
    except OpenApiError as exc:
        raise keys.error("openapi", f"names {value}, which {exc}") from None
    return OpenApiSource(file=file)


def parse_document(text: str) -> dict[str, Any]:
    """The OpenAPI 3 document in ``text`` (JSON or YAML), validated; `OpenApiError` if not."""
    try:
        document = json.loads(text)
    except ValueError:
        import yaml  # YAML only when the text is no JSON (it is slower, and rarer)

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise OpenApiError(f"is neither JSON nor YAML ({type(exc).__name__})") from None
    if not isinstance(document, dict):
        raise OpenApiError("is no OpenAPI document (not a JSON or YAML object)")
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        found = f"swagger {document['swagger']}" if "swagger" in document else repr(version)
        raise OpenApiError(f"is no OpenAPI 3 document (its version is {found}; 3.0, 3.1 or 3.2)")
    _validate(document)
    return document


def _validate(document: dict[str, Any]) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.exceptions import OpenAPISpecValidatorError
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from referencing.exceptions import Unresolvable

    try:
        validate(document)
    except OpenAPIValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "the top"
        raise OpenApiError(f"{_INVALID}: at {where}: {_cut(exc.message)}") from None
    except Unresolvable as exc:
        raise OpenApiError(f"{_INVALID}: $ref {_cut(exc.ref)} points nowhere") from None
    except OpenAPISpecValidatorError as exc:  # no version it knows
        raise OpenApiError(f"{_INVALID}: {_cut(str(exc))}") from None


def _cut(message: str) -> str:
    return message if len(message) <= _SHOWN else message[:_SHOWN] + "…"
