"""benchmarks.harness_timing: a run's wall time beside its longest wait, and issue 15's goals."""

from __future__ import annotations

from pathlib import Path

from benchmarks.harness_timing import main, measured, table
from harness.model.results import RunInfo, RunResult
from harness.report.json_report import render_json
from tests.unit.harness.conftest import make_result

T0 = 1_800_000_000.0


def _report(tmp_path: Path, lead: float, slowest: float) -> Path:
    results = (
        make_result(check_id="RFC6750-2.1-valid-token", subject="api_jwt",
                    started_s=T0 + lead, duration_s=0.05),
        make_result(check_id="RFC9110-15.6.4-lie-drip-body", subject="api_jwt",
                    started_s=T0 + lead + 0.05, duration_s=slowest),
    )  # fmt: skip
    info = RunInfo("mock", "http://127.0.0.1:1", "2027-01-15T08:00:00+00:00", 6.0, "python -m "
                   "harness", started_s=T0)  # fmt: skip
    path = tmp_path / "matrix.json"
    path.write_text(render_json(RunResult(info, results)), encoding="utf-8")
    return path


def test_the_longest_wait_is_named_and_the_ratio_judged(tmp_path: Path) -> None:
    row = measured("default", ["python", "-m", "harness"], 0, 6.0, _report(tmp_path, 1.0, 4.5))
    assert row.longest_wait_s == 4.5 and "RFC9110-15.6.4-lie-drip-body" in row.longest_wait
    assert round(row.ratio, 2) == 1.33 and row.goals() == []
    assert "| `python -m harness` | 0 | 6.0 | 4.50 |" in table([row])


def test_a_run_longer_than_its_goals_says_which_it_misses(tmp_path: Path) -> None:
    row = measured("default", ["python", "-m", "harness"], 0, 12.0, _report(tmp_path, 2.0, 1.0))
    assert row.longest_wait == "the start of api_jwt" and row.longest_wait_s == 2.0
    missed = row.goals()
    assert any("wall ÷ longest wait 6.00 > 1.5" in m for m in missed)
    assert any("wall 12.0 s > 10 s" in m for m in missed)
    assert "default: not met" in table([row])


def test_an_unknown_run_is_a_usage_error() -> None:
    assert main(["--runs", "nightly"]) == 2
