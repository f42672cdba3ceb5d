"""Propagation figures: a line per API and variant in the terminal, a section in the report."""

from __future__ import annotations

from harness.model.results import CheckResult, Level, RunInfo, RunResult, Status
from harness.report.html import render_html
from harness.report.terminal import propagation_text


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


def test_the_report_has_a_propagation_section_with_the_figures() -> None:
    run = RunResult(
        RunInfo("mock", "http://issuer", "now", 1.0, "cmd"),
        (_result("RFC7662-4-propagation-revocation", "cache as configured: 0.01 s"),),
    )
    html = render_html(run)
    assert 'id="propagation"' in html and "cache as configured: 0.01 s" in html


def test_the_report_has_no_propagation_section_without_figures() -> None:
    run = RunResult(RunInfo("mock", "http://issuer", "now", 1.0, "cmd"), ())
    assert 'id="propagation"' not in render_html(run)
