"""The issuer-behaviour observations against the mock issuer: ZITADEL's answers, redacted.

The expected values are ZITADEL's as zitadel-spec.md describes them (§1 discovery, §2.2/§2.3
token endpoint, §3.2-§3.4 introspection), which the mock reproduces.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.model.results import ObservationResult
from harness.observations import observe_all
from harness.targets.mock import MockTarget

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def observed(mock_target: MockTarget) -> dict[str, ObservationResult]:
    """Every observation, made once against the shared mock target."""
    return {o.id: o for o in observe_all(mock_target)}


@pytest.mark.parametrize(
    ("observation_id", "expected"),
    [
        ("token-unknown-client", {"status": 400, "error": "invalid_client"}),
        ("introspection-bad-api-secret", {"status": 400, "error": "unauthorized_client"}),
        ("introspection-inactive-shape", {"status": 200, "members": ["active"]}),
        ("introspection-aud-shape", {"type": "an array"}),
        ("introspection-other-audience", {"active": False}),
        ("introspection-jwt-access-token", {"status": 200, "active": True}),
        ("introspection-auth-methods",
         {"introspection_endpoint_auth_methods_supported": ["client_secret_basic",
                                                            "private_key_jwt"]}),
    ],
)  # fmt: skip
def test_the_mock_issuer_answers_as_zitadel_does(
    observed: dict[str, ObservationResult], observation_id: str, expected: dict[str, Any]
) -> None:
    observation = observed[observation_id]
    assert observation.observed, observation.detail
    assert {k: observation.data.get(k) for k in expected} == expected


def test_roles_are_found_in_zitadels_role_claim_not_in_scope(
    observed: dict[str, ObservationResult],
) -> None:
    members = observed["introspection-roles-location"].data["members"]
    assert "urn:zitadel:iam:org:project:roles" in members
    assert "scope" not in members


def test_a_zitadel_token_response_has_no_scope(observed: dict[str, ObservationResult]) -> None:
    data = observed["token-response-members"].data
    assert "scope" not in data["members"] and data["expires_in"] == 43199


def test_every_observation_is_made_and_holds_no_secret(
    observed: dict[str, ObservationResult], mock_target: MockTarget
) -> None:
    assert all(o.observed for o in observed.values())
    text = repr([o.to_dict() for o in observed.values()])
    assert mock_target.redactor.find(text) == []
    assert any(o.exchanges for o in observed.values())
