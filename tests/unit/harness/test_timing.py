"""Where the time went: the slowest checks and the critical path, in the terminal and the report."""

from __future__ import annotations

import json

from harness.model.results import CheckResult, RunInfo, RunResult
from harness.report.html import render_html
from harness.report.json_report import render_json, run_from
from harness.report.terminal import ending
from harness.report.timing import run_timing, timing_lines
from tests.unit.harness.conftest import make_result

T0 = 1_800_000_000.0


def _at(check_id: str, start: float, seconds: float, subject: str = "api_jwt") -> CheckResult:
    return make_result(
        "cell3-cc-pkjwt-opaque", check_id, started_s=T0 + start, duration_s=seconds,
        subject=subject,
    )  # fmt: skip


def _run(*results: CheckResult, wall: float = 4.0) -> RunResult:
    info = RunInfo("mock", "http://127.0.0.1:1", "2027-01-15T08:00:00+00:00", wall, "python -m "
                   "harness", started_s=T0)  # fmt: skip
    return RunResult(info, results)


def test_a_slow_check_is_named_first_with_its_seconds_in_the_terminal_and_the_report() -> None:
    quick = [_at(f"QUICK-{n}", 1.0 + n * 0.01, 0.01) for n in range(20)]
    run = _run(*quick, _at("RFC9110-15.6.4-lie-drip-body", 1.0, 2.5))
    lines = timing_lines(run)
    slowest = lines.index("Slowest 5 checks:")
    assert "RFC9110-15.6.4-lie-drip-body" in lines[slowest + 1]
    assert "2.50 s" in lines[slowest + 1]
    assert "RFC9110-15.6.4-lie-drip-body" in "\n".join(ending(run)[-8:])
    html = render_html(run)
    section = html[html.index('id="timing"') :]
    assert "RFC9110-15.6.4-lie-drip-body" in section and "2.50" in section


def test_the_critical_path_is_the_longest_chain_of_checks_one_after_another() -> None:
    # Two waits in a row (0.5 s after the start) outweigh three short ones side by side.
    run = _run(
        _at("WAIT-A", 0.5, 1.0), _at("WAIT-B", 1.5, 1.0),
        _at("SIDE-1", 0.5, 0.3), _at("SIDE-2", 0.9, 0.3), _at("SIDE-3", 1.3, 0.3),
    )  # fmt: skip
    timing = run_timing(run)
    assert [r.check_id for r in timing.path] == ["WAIT-A", "WAIT-B"]
    assert timing.lead_s == 0.5 and round(timing.path_s, 3) == 2.5
    assert timing.longest_wait_s == 1.0


def test_each_subject_leads_with_its_own_start() -> None:
    run = _run(_at("LATE", 3.0, 0.5, subject="slow_start"), _at("EARLY", 0.2, 1.0))
    timing = run_timing(run)
    assert timing.lead_subject == "slow_start" and timing.lead_s == 3.0
    assert timing.longest_wait_s == 3.0
    assert "slow_start started in 3.0 s" in "\n".join(timing_lines(run))


def test_the_json_carries_each_checks_start_and_duration() -> None:
    run = _run(_at("RFC6750-3.1-no-credentials", 0.25, 0.125))
    back = run_from(json.loads(render_json(run)))
    assert back.results[0].duration_s == 0.125 and back.results[0].started_s == T0 + 0.25
    assert back.info.started_s == T0


def test_a_run_without_starts_still_names_its_slowest_checks() -> None:
    run = _run(make_result(check_id="OLD", duration_s=1.5))
    lines = timing_lines(run)
    assert not any(line.startswith("Critical path") for line in lines)
    assert "OLD" in lines[-1]
