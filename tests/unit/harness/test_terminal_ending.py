"""The terminal's ending fits a screen whatever the run: table, ten worst, rerun, verdict."""

from __future__ import annotations

from harness.model.matrix import Mode, cells, variants
from harness.model.results import CheckResult, RunInfo, RunResult, Status, SubjectInfo
from harness.report.terminal import ending

from .conftest import make_result

SUBJECTS = tuple(f"api-{n:02d}" for n in range(12))
BASIC = [c for c in cells() if c.mechanism.value == "client_secret_basic"]


def _big_run() -> RunResult:
    """Twelve subjects, each failing 40 checks in every variant, with multi-line HTML bodies."""
    results: list[CheckResult] = []
    for subject in SUBJECTS:
        for cell in BASIC:
            for variant in variants(cell, Mode.MOCK):
                results += [
                    make_result(variant.slug, f"CHECK-{n}", Status.FAILED, subject=subject,
                                fail_open=n < 5, expected="HTTP 401",
                                actual="HTTP 500; body <html>\n<h1>Internal\nServer Error</h1>")
                    for n in range(40)
                ]  # fmt: skip
    infos = tuple(SubjectInfo(s, f"subjects/{s}.toml", "client_secret_basic") for s in SUBJECTS)
    info = RunInfo("mock", "http://127.0.0.1:1", "now", 1.0,
                   "python -m harness --subject-dir subjects", subjects=infos)  # fmt: skip
    return RunResult(info, tuple(results))


def test_the_ending_of_a_run_of_twelve_failing_subjects_fits_in_sixty_lines() -> None:
    lines = "\n".join(ending(_big_run())).splitlines()
    assert len(lines) <= 56  # the report's paths follow: at most 60 in all
    assert any(line.startswith("Verdict: FAILED") for line in lines)
    worst = lines[lines.index(next(x for x in lines if x.startswith("Worst failures"))) + 1 :]
    assert sum(1 for x in worst if x.startswith("  FAIL-OPEN")) == 10
    assert len({x.split()[1] for x in worst[:10]}) == 10  # ten subjects, not one subject's ten
    assert all(len(x) <= 160 for x in lines if not x.startswith("Cells ") and "|" not in x)


def test_each_api_is_one_row_of_the_table_with_its_cells() -> None:
    table = [line for line in ending(_big_run())[1].splitlines() if line.startswith("api-")]
    assert len(table) == 12
    assert "| 2: FAIL 80 (10 open)" in table[0] and "| 4: FAIL 80 (10 open)" in table[0]


def test_the_worst_failure_comes_with_the_command_that_reruns_it_alone() -> None:
    rerun = next(x for x in ending(_big_run()) if x.startswith("Rerun the worst alone: "))
    assert rerun.endswith(
        "python -m harness --subject subjects/api-00.toml --cells 2,4,6 --checks CHECK-0"
    )


def test_verbose_prints_every_failure_and_the_causes() -> None:
    lines = ending(_big_run(), verbose=True)
    assert sum(1 for x in lines if x.startswith(("  FAIL-OPEN", "  MUST"))) == 12 * 5 * 40
    assert any(x.startswith("api-03: ") and "HTTP 500" in x for x in lines)


def test_a_passing_run_prints_no_failure_section() -> None:
    run = RunResult(RunInfo("mock", "i", "now", 1.0, "python -m harness"), (make_result(),))
    lines = ending(run)
    assert not any(x.startswith(("Worst failures", "Rerun")) for x in lines)
    assert "Verdict: PASSED (every MUST check ran and passed)" in lines
