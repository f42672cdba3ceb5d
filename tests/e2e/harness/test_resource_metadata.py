"""Protected resource metadata (RFC 9728): the samples serve it and pass; metadata that is
missing where the challenge names it, that names another resource, or that says more than the
API does, fails exactly the checks about it."""

from __future__ import annotations

import pytest

import api_basic_auth.app
import api_local_jwt.app
from harness.checks.resource_metadata import CHECKS
from harness.model.matrix import Mechanism
from harness.model.results import CheckResult, Status
from harness.targets.apis import ApiFactory

from . import broken_metadata
from .test_broken_samples import _run

pytestmark = pytest.mark.e2e
METADATA = [c.id for c in CHECKS]


def _failed(results: list[CheckResult]) -> dict[str, str]:
    return {r.check_id: str(r.level) for r in results if r.status is Status.FAILED}


@pytest.mark.parametrize(
    ("factory", "mechanism", "cell"),
    [
        (api_basic_auth.app.create_app, Mechanism.CLIENT_SECRET_BASIC, 4),
        (api_local_jwt.app.create_app, Mechanism.LOCAL_JWT, 8),
    ],
    ids=["introspection", "local-jwt"],
)
def test_the_samples_serve_their_metadata_and_pass(
    factory: ApiFactory, mechanism: Mechanism, cell: int
) -> None:
    results, _ = _run(factory, METADATA, mechanism, cell)
    assert {r.check_id: r.status for r in results} == dict.fromkeys(METADATA, Status.PASSED)
    resource = next(r for r in results if r.check_id == "RFC9728-3.3-resource-identical")
    assert "(named by the 401 challenge)" in resource.actual
    assert resource.actual.endswith("/api/private'")


def test_a_challenge_naming_metadata_that_is_not_there_fails() -> None:
    results, _ = _run(broken_metadata.names_missing_metadata, METADATA)
    assert _failed(results) == {
        "RFC9728-3.3-resource-identical": "MUST",
        "RFC9728-2-authorization-servers": "MUST",
        "RFC9728-2-bearer-methods": "MUST",
        "RFC9728-2-scopes-supported": "SHOULD",
        "RFC9728-5.1-challenge-names-metadata": "SHOULD",
    }
    failed = next(r for r in results if r.check_id == "RFC9728-3.3-resource-identical")
    assert "/.well-known/nothing-here/api/private, which serves no metadata" in failed.actual


def test_metadata_for_another_resource_fails_the_resource_check_only() -> None:
    results, _ = _run(broken_metadata.metadata_for_another_resource, METADATA)
    assert _failed(results) == {"RFC9728-3.3-resource-identical": "MUST"}


def test_metadata_naming_another_issuer_and_the_query_fails_those_two() -> None:
    results, _ = _run(broken_metadata.metadata_overstated, METADATA)
    assert _failed(results) == {
        "RFC9728-2-authorization-servers": "MUST",
        "RFC9728-2-bearer-methods": "MUST",
    }
    methods = next(r for r in results if r.check_id == "RFC9728-2-bearer-methods")
    assert methods.detail == "Listed and refused: query."
