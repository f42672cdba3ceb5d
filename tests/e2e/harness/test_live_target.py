"""The live target against a .env: missing settings make checks "not configured", by name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.checks import check_by_id
from harness.model.matrix import Grant, Mechanism, TokenFormat, Variant, cell_by_number
from harness.model.results import Status
from harness.run.execute import execute
from harness.targets.live import LiveTarget, declared_format
from mock_issuer.issuer import MockIssuer

pytestmark = pytest.mark.e2e
REMOVED = (
    "PERSONAL_ACCESS_TOKEN=", "API_CLIENT_SECRET=", "EXPECTED_ROLES_PAT=", "OTHER_AUDIENCE_SCOPES="
)  # fmt: skip


@pytest.fixture
def env_file(tmp_path: Path) -> Iterator[Path]:
    """A mock issuer's .env with the PAT, the basic API's secret and other settings removed."""
    issuer = MockIssuer().start()
    try:
        path = issuer.provision().write_env(tmp_path)
        kept = [line for line in path.read_text().splitlines() if not line.startswith(REMOVED)]
        path.write_text("\n".join(kept) + "\n")
        yield path
    finally:
        issuer.stop()


@pytest.fixture
def live(env_file: Path) -> Iterator[LiveTarget]:
    """A live target on that .env, ignoring this process's environment."""
    target = LiveTarget(env_file, environ={})
    try:
        yield target
    finally:
        target.close()


def _variant(number: int) -> Variant:
    return Variant(cell_by_number(number), TokenFormat.OPAQUE)


def test_a_missing_pat_makes_pat_checks_not_configured_naming_the_variable(
    live: LiveTarget,
) -> None:
    result = execute(check_by_id("RFC6750-2.1-valid-token"), live, _variant(5))
    assert result.status is Status.NOT_CONFIGURED
    assert "PERSONAL_ACCESS_TOKEN" in result.detail


def test_a_missing_api_secret_makes_the_basic_api_not_configured(live: LiveTarget) -> None:
    result = execute(check_by_id("RFC6750-3.1-no-credentials"), live, _variant(4))
    assert result.status is Status.NOT_CONFIGURED
    assert "API_CLIENT_SECRET" in result.detail
    assert any("api_basic_auth" in note for note in live.notes)


def test_configured_cells_still_run(live: LiveTarget) -> None:
    result = execute(check_by_id("RFC6750-2.1-valid-token"), live, _variant(3))
    assert result.status is Status.PASSED, result.actual


def test_role_checks_need_the_expected_roles_variable(live: LiveTarget) -> None:
    assert live.expected_roles(Grant.CLIENT_CREDENTIALS) == {"read:messages"}
    result = execute(check_by_id("RFC6750-3.1-role-present"), live, _variant(5))
    assert result.status is Status.NOT_CONFIGURED
    assert "EXPECTED_ROLES_PAT" in result.detail


def test_without_a_role_less_user_the_role_absent_check_is_not_applicable(live: LiveTarget) -> None:
    result = execute(check_by_id("RFC6750-3.1-insufficient-scope"), live, _variant(3))
    assert result.status is Status.NOT_APPLICABLE
    assert "EXPECTED_ROLES" in result.detail


def test_wrong_audience_needs_other_audience_scopes(live: LiveTarget) -> None:
    result = execute(check_by_id("RFC7662-4-wrong-audience"), live, _variant(1))
    assert result.status is Status.NOT_CONFIGURED
    assert "OTHER_AUDIENCE_SCOPES" in result.detail


def test_the_api_secret_from_the_env_is_registered_for_redaction(env_file: Path) -> None:
    target = LiveTarget(env_file, environ={"API_CLIENT_SECRET": "a-secret-from-the-shell"})
    try:
        assert "a-secret-from-the-shell" in target.redactor.secrets
    finally:
        target.close()
    assert Mechanism.CLIENT_SECRET_BASIC in Mechanism


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", TokenFormat.JWT), ("false", TokenFormat.OPAQUE), ("", TokenFormat.OPAQUE)],
)
def test_the_declared_token_format_comes_from_introspect_jwt_access_tokens(
    tmp_path: Path, value: str, expected: TokenFormat
) -> None:
    env = tmp_path / ".env"
    env.write_text(f"INTROSPECT_JWT_ACCESS_TOKENS={value}\n")
    assert declared_format(env, environ={}) is expected
