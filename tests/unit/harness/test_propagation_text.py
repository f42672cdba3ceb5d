"""The propagation figures are listed in the terminal, one line per API and variant."""

from __future__ import annotations

from harness.results import CheckResult, Level, RunInfo, RunResult, Status
from harness.terminal import propagation_text


def _result(check_id: str, actual: str) -> CheckResult:
    return CheckResult(
        cell=4, variant="cell4-cc-basic-opaque", token_format="opaque", check_id=check_id,
        title="t", rfc="RFC 7662 §4", level=Level.MUST, status=Status.PASSED, actual=actual,
        subject="api_basic_auth",
    )  # fmt: skip


def test_only_propagation_results_with_a_figure_are_listed() -> None:
    run = RunResult(
        RunInfo("mock", "http://issuer", "now", 1.0, "cmd"),
        (
            _result("RFC7662-4-propagation-revocation", "cache as configured: 0.01 s"),
            _result("RFC6750-3.1-no-credentials", "HTTP 401"),
            _result("RFC7662-4-propagation-deactivation", ""),
        ),
    )
    assert propagation_text(run) == [
        "  api_basic_auth: cell4-cc-basic-opaque revocation: cache as configured: 0.01 s"
    ]
