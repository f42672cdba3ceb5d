"""The whole surface from OpenAPI: the samples pass every operation's checks, and a sample
whose document declares a route secured that has no guard fails open on exactly that route."""

from __future__ import annotations

from pathlib import Path

import pytest

import api_basic_auth.app
import api_local_jwt.app
from harness.checks.openapi import CHECKS
from harness.model.matrix import Mechanism
from harness.model.results import CheckResult, Status

from . import broken_surface
from .test_broken_samples import _run
from .test_subjects import YES_MAN, _subject
from .test_subjects import _run as _run_subject

pytestmark = pytest.mark.e2e
SURFACE = [c.id for c in CHECKS]
FORGOTTEN = "DELETE /api/messages/{message_id}"


def _by_id(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.check_id: r for r in results if r.token_format == "opaque" or r.cell == 8}


@pytest.mark.parametrize(
    ("factory", "mechanism", "cell"),
    [
        (api_basic_auth.app.create_app, Mechanism.CLIENT_SECRET_BASIC, 4),
        (api_local_jwt.app.create_app, Mechanism.LOCAL_JWT, 8),
    ],
    ids=["introspection", "local-jwt"],
)
def test_the_samples_pass_every_operation_and_list_the_public_ones(
    factory: object, mechanism: Mechanism, cell: int
) -> None:
    results, _ = _run(factory, SURFACE, mechanism, cell)  # type: ignore[arg-type]
    assert {r.check_id: r.status for r in results} == dict.fromkeys(SURFACE, Status.PASSED)
    found = _by_id(results)
    document = found["OPENAPI-document-valid"]
    assert document.actual.startswith("5 operations: 3 secured by a bearer token, 2 public")
    assert "Public (no security declared): GET /api/public, GET /api/healthz." in document.detail
    asked = found["OPENAPI-secured-no-token"].actual
    assert asked.endswith("GET /api/private, GET /api/private-scoped, POST /api/messages")
    kinds = 4 if mechanism.introspects else 3  # a local validator cannot see a revocation
    assert found["OPENAPI-secured-bad-tokens"].actual.startswith(f"{3 * kinds} requests")
    assert "POST /api/messages: HTTP 201" in found["OPENAPI-secured-valid-token"].detail


def test_a_route_declared_secured_without_its_guard_fails_open_on_that_route_only() -> None:
    results, html = _run(broken_surface.forgot_one_guard, SURFACE)
    failed = {
        r.check_id: (r.fail_open, r.actual)
        for r in results
        if r.status is Status.FAILED and r.token_format == "opaque"
    }
    assert set(failed) == {"OPENAPI-secured-no-token", "OPENAPI-secured-bad-tokens"}
    no_token_open, no_token = failed["OPENAPI-secured-no-token"]
    assert no_token_open
    assert no_token == f"1 of 4 without a token failed: {FORGOTTEN}: HTTP 204"
    bad_open, bad = failed["OPENAPI-secured-bad-tokens"]
    assert bad_open and bad.startswith("4 of 16 requests with a bad token failed:")
    assert bad.count(FORGOTTEN) == 4 and "/api/private" not in bad
    found = _by_id(results)
    assert f"Fail-open on: {FORGOTTEN}." in found["OPENAPI-secured-no-token"].detail
    kept = found["OPENAPI-secured-no-token"].exchanges
    assert [(x.method, x.url.rsplit("/api/", 1)[1], x.status) for x in kept] == [
        ("DELETE", "messages/1", 204)
    ]
    assert "FAIL-OPEN" in html


DOCUMENT = """
openapi: "3.1.0"
info: {title: yes-man, version: "1"}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
security: [{token: []}]
paths:
  /api/public:
    get: {security: [], responses: {"200": {description: ok}}}
  /api/private:
    get: {responses: {"200": {description: ok}}}
"""


def test_a_document_beside_the_subject_file_is_read_and_a_yes_man_fails_open(
    tmp_path: Path,
) -> None:
    (tmp_path / "openapi.yaml").write_text(DOCUMENT, encoding="utf-8")
    path = _subject(tmp_path, YES_MAN, 'openapi = "openapi.yaml"')
    run = _run_subject(path, "OPENAPI-document-valid", "OPENAPI-secured-no-token")
    found = {r.check_id: r for r in run.results if r.token_format == "opaque"}
    document = found["OPENAPI-document-valid"]
    assert document.status is Status.PASSED
    assert (
        document.actual
        == "2 operations: 1 secured by a bearer token, 1 public, 0 by another scheme"
    )
    assert document.expected.endswith(f"at {tmp_path.resolve() / 'openapi.yaml'}")
    no_token = found["OPENAPI-secured-no-token"]
    assert (no_token.status, no_token.fail_open) == (Status.FAILED, True)
    assert no_token.actual == "1 of 1 without a token failed: GET /api/private: HTTP 200"
