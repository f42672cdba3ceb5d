"""The mock target: real servers, tokens per variant, and changes that always undo themselves."""

from __future__ import annotations

import pytest

from harness.checks import check_by_id
from harness.model.matrix import Grant, Mechanism, Mode, TokenFormat, Variant, cell_by_number
from harness.model.results import Status
from harness.run.execute import execute
from harness.targets.base import Holder, IssuerFault
from harness.targets.mock import MockTarget

pytestmark = pytest.mark.e2e


def _variant(number: int, token_format: TokenFormat = TokenFormat.OPAQUE) -> Variant:
    return Variant(cell_by_number(number), token_format)


def test_the_three_sample_apis_answer_on_their_own_ports(mock_target: MockTarget) -> None:
    urls = {mock_target.api_url(auth) for auth in Mechanism}
    assert len(urls) == 3
    for url in urls:
        assert mock_target.http.get(url + "/api/public").status_code == 200


@pytest.mark.parametrize(
    ("number", "token_format", "dots"),
    [(1, TokenFormat.OPAQUE, False), (1, TokenFormat.JWT, True), (3, TokenFormat.JWT, True)],
)
def test_variants_get_tokens_in_their_format(
    mock_target: MockTarget, number: int, token_format: TokenFormat, dots: bool
) -> None:
    token = mock_target.token(_variant(number, token_format)).access_token
    assert (token.count(".") == 2) is dots


def test_every_token_obtained_is_registered_as_a_secret(mock_target: MockTarget) -> None:
    token = mock_target.token(_variant(3), Holder.NO_ROLE).access_token
    assert token in mock_target.redactor.secrets


def test_the_token_exchange_is_recorded_without_credentials(mock_target: MockTarget) -> None:
    issued = mock_target.fresh_token(_variant(4))
    recorded = "".join(str(x) for x in issued.exchanges)
    assert "/oauth/v2/token" in recorded
    assert issued.access_token not in recorded
    assert str(mock_target.world.cc_user.client_secret) not in recorded
    assert "Basic [REDACTED:" in recorded


def test_a_fault_is_switched_off_when_its_block_ends(mock_target: MockTarget) -> None:
    with mock_target.fault(IssuerFault.SERVER_ERROR):
        assert mock_target.issuer_server.faults.for_endpoint("introspect")
    assert not mock_target.issuer_server.faults.for_endpoint("introspect")


def test_the_issuer_clock_is_restored_after_an_expired_token(mock_target: MockTarget) -> None:
    clock = mock_target.issuer_server.clock
    before = clock.now()
    with mock_target.expired_token(_variant(5)):
        assert clock.now() - before >= 29
    assert abs(clock.now() - before) < 5


def test_the_clock_is_restored_even_when_the_block_fails(mock_target: MockTarget) -> None:
    clock = mock_target.issuer_server.clock
    before = clock.now()
    with pytest.raises(RuntimeError), mock_target.expired_token(_variant(1)):
        raise RuntimeError("check crashed")
    assert abs(clock.now() - before) < 5


@pytest.mark.parametrize(
    "check_id",
    [
        "RFC6750-3.1-no-credentials",
        "RFC7662-2.2-revoked-token",
        "RFC7662-2.2-expired-token",
        "RFC9110-15.6.4-issuer-slow",
        "RFC7662-2.1-issuer-rejects-api-credentials",
        "RFC9110-15.6.4-issuer-down",
    ],
)
def test_correct_samples_pass_representative_checks(mock_target: MockTarget, check_id: str) -> None:
    result = execute(check_by_id(check_id), mock_target, _variant(2))
    assert result.status is Status.PASSED, (result.expected, result.actual, result.detail)


def test_a_mock_only_check_against_a_pat_cell_still_runs(mock_target: MockTarget) -> None:
    result = execute(check_by_id("RFC7662-2.2-revoked-token"), mock_target, _variant(6))
    assert result.status is Status.PASSED


def test_a_check_for_other_grants_is_not_applicable_with_the_reason(
    mock_target: MockTarget,
) -> None:
    result = execute(check_by_id("RFC6749-5.1-token-response"), mock_target, _variant(5))
    assert result.status is Status.NOT_APPLICABLE
    assert "PAT" in result.detail


def test_the_mock_target_reports_its_mode_and_issuer(mock_target: MockTarget) -> None:
    assert mock_target.mode is Mode.MOCK
    assert mock_target.issuer.startswith("http://127.0.0.1:")
    assert mock_target.expected_roles(Grant.PAT) == {"read:messages"}
