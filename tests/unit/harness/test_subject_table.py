"""The per-family table of subjects' results (docs/subjects.md is generated with it)."""

from __future__ import annotations

from harness.model.results import CheckResult, Level, RunInfo, RunResult, Status
from harness.report.table import table, verdicts

# What harness.run.execute records from each check's module.
_FAMILY = {"RFC6750-3.1-no-credentials": "rfc6750", "RFC6750-3.1-garbage-token": "rfc6750",
           "RFC9110-15.6.4-issuer-5xx": "faults"}  # fmt: skip


def _result(
    subject: str, check_id: str, status: Status, level: Level = Level.MUST,
    variant: str = "cell4-cc-basic-opaque", fail_open: bool = False,
) -> CheckResult:  # fmt: skip
    return CheckResult(
        cell=4, variant=variant, token_format="opaque", check_id=check_id,
        title=f"title of {check_id}", rfc="RFC", level=level, status=status, subject=subject,
        fail_open=fail_open, family=_FAMILY.get(check_id, "lies"),
    )  # fmt: skip


def test_the_worst_verdict_over_the_variants_counts() -> None:
    results = [
        _result("a", "RFC6750-3.1-garbage-token", Status.PASSED),
        _result("a", "RFC6750-3.1-garbage-token", Status.FAILED, fail_open=True, variant="v2"),
    ]
    assert verdicts(results) == {"RFC6750-3.1-garbage-token": "fail-open"}


def test_the_table_counts_by_family_and_lists_what_fails() -> None:
    run = RunResult(
        RunInfo("mock", "http://issuer", "now", 1.0, "cmd"),
        (
            _result("a", "RFC6750-3.1-garbage-token", Status.PASSED),
            _result("a", "RFC6750-3.1-no-credentials", Status.FAILED),
            _result("a", "RFC9110-15.6.4-issuer-5xx", Status.FAILED, level=Level.SHOULD),
            _result("b", "RFC6750-3.1-garbage-token", Status.NOT_APPLICABLE),
        ),
    )
    text = table(run)
    assert "| `a` | 1/2 passed, 1 MUST | 0/1 passed, 1 SHOULD |" in text
    assert "| `b` | n/a | n/a |" in text
    assert "  - MUST: `RFC6750-3.1-no-credentials` (title of RFC6750-3.1-no-credentials)" in text
    assert "- `b`: nothing failed." in text
