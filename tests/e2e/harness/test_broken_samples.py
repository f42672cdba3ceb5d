"""The harness can fail: samples broken on purpose fail exactly the checks about their defect."""

from __future__ import annotations

import pytest

from harness.checks import check_by_id
from harness.matrix import Mechanism, cell_by_number
from harness.report import render_html
from harness.results import CheckResult, RunInfo, RunResult, Status
from harness.runner import Plan, run_cells
from harness.targets.apis import ApiFactory
from harness.targets.spec import TargetSpec

from . import broken_apis

pytestmark = pytest.mark.e2e
BASIC = Mechanism.CLIENT_SECRET_BASIC


def _run(factory: ApiFactory, check_ids: list[str]) -> tuple[list[CheckResult], str]:
    """Run cell 4 (client credentials x basic) with a broken api_basic_auth; results and HTML.

    Also proves the HTML holds none of the run's secrets, whatever the API did with them.
    """
    checks = tuple(check_by_id(c) for c in check_ids)
    plan = Plan(TargetSpec(factories={BASIC: factory}), (cell_by_number(4),), checks)
    target = plan.spec.build()
    try:
        results = [r for _, found in run_cells(target, plan) for r in found]
        run = RunResult(RunInfo("mock", target.issuer, "now", 1.0, "pytest"), tuple(results))
        html = render_html(run)
        leaked = [s for s in target.redactor.secrets if s in html]
    finally:
        target.close()
    assert not leaked
    return results, html


def _statuses(results: list[CheckResult]) -> dict[str, set[Status]]:
    found: dict[str, set[Status]] = {}
    for result in results:
        found.setdefault(result.check_id, set()).add(result.status)
    return found


def test_an_api_that_turns_issuer_errors_into_500_fails_the_5xx_check_only() -> None:
    results, html = _run(
        broken_apis.crashes_on_issuer_errors,
        ["RFC6750-2.1-valid-token", "RFC9110-15.6.4-issuer-5xx", "RFC9110-15.6.4-issuer-slow"],
    )
    assert _statuses(results) == {
        "RFC6750-2.1-valid-token": {Status.PASSED},
        "RFC9110-15.6.4-issuer-5xx": {Status.FAILED},
        "RFC9110-15.6.4-issuer-slow": {Status.PASSED},
    }
    assert "HTTP 500" in html


def test_an_api_that_ignores_active_fails_the_inactive_token_checks() -> None:
    failing = [
        "RFC6750-3.1-garbage-token",
        "RFC7662-2.2-revoked-token",
        "RFC7662-2.2-expired-token",
    ]
    results, html = _run(broken_apis.ignores_active, ["RFC6750-3.1-no-credentials", *failing])
    statuses = _statuses(results)
    assert statuses["RFC6750-3.1-no-credentials"] == {Status.PASSED}
    assert all(statuses[check] == {Status.FAILED} for check in failing)
    assert "FAIL" in html and "the status is 200, not 401" in html


def test_an_api_that_logs_tokens_fails_the_no_secrets_check_without_showing_them() -> None:
    results, _ = _run(broken_apis.logs_tokens, ["RFC6750-5.3-no-secrets-leaked"])
    assert {r.status for r in results} == {Status.FAILED}
    assert "api_basic_auth.debugging" in results[0].detail
    assert "[REDACTED:" in results[0].detail
