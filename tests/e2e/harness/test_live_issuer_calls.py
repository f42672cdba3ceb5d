"""Live mode's own issuer calls, against the mock issuer posing as a live one.

Revocation goes over RFC 7009 and is confirmed by RFC 7662 introspection; the configured PAT is
never revoked; a role-less token is asked for only when NO_ROLE_SCOPES says how.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.checks import check_by_id
from harness.model.matrix import TokenFormat, Variant, cell_by_number
from harness.model.results import Status
from harness.model.skips import NotApplicable
from harness.run.execute import execute
from harness.targets.live import LiveTarget
from mock_issuer.issuer import MockIssuer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveTarget]:
    """A live target on a running mock issuer's .env."""
    issuer = MockIssuer().start()
    try:
        env_file = issuer.provision().write_env(tmp_path_factory.mktemp("live-calls"))
        target = LiveTarget(env_file, environ={})
        try:
            yield target
        finally:
            target.close()
    finally:
        issuer.stop()


def _variant(number: int) -> Variant:
    return Variant(cell_by_number(number), TokenFormat.OPAQUE)


@pytest.mark.parametrize("number", [2, 3])
def test_a_live_revocation_goes_through_the_revocation_endpoint_and_the_api_refuses_the_token(
    live: LiveTarget, number: int
) -> None:
    result = execute(check_by_id("RFC7662-2.2-revoked-token"), live, _variant(number))
    assert result.status is Status.PASSED, result.detail
    urls = [e.url for e in result.exchanges]
    assert any(u.endswith("/oauth/v2/revoke") for u in urls)
    assert any(u.endswith("/oauth/v2/introspect") for u in urls)


def test_the_configured_pat_is_never_revoked(live: LiveTarget) -> None:
    result = execute(check_by_id("RFC7662-2.2-revoked-token"), live, _variant(6))
    assert result.status is Status.NOT_APPLICABLE
    assert "PERSONAL_ACCESS_TOKEN" in result.detail
    still = execute(check_by_id("RFC6750-2.1-valid-token"), live, _variant(6))
    assert still.status is Status.PASSED


def test_without_no_role_scopes_the_role_absent_check_names_the_setting(live: LiveTarget) -> None:
    result = execute(check_by_id("RFC6750-3.1-insufficient-scope"), live, _variant(4))
    assert result.status is Status.NOT_APPLICABLE
    assert "NO_ROLE_SCOPES" in result.detail


def test_the_issuer_calls_find_the_endpoints_by_discovery(live: LiveTarget) -> None:
    assert live.issuer_calls.endpoint("revocation_endpoint") == live.issuer + "/oauth/v2/revoke"


def test_a_missing_endpoint_makes_the_call_not_applicable(live: LiveTarget) -> None:
    with pytest.raises(NotApplicable, match="no device_endpoint"):
        live.issuer_calls.endpoint("device_endpoint")
