"""Kept runs: history directories, what changed between two runs, shards joined into one."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from harness.model.matrix import cells
from harness.model.results import CheckResult, Level, RunInfo, RunResult, Status, Verdict
from harness.report.compare import compare, diff_text
from harness.report.history import run_directory, runs_to_keep, write_and_keep
from harness.report.json_report import render_json
from harness.report.merge import merge
from harness.subcommands import main, unknown_command

from .conftest import make_result

GARBAGE = "RFC6750-3.1-garbage-token"


def _run(*results: CheckResult, command: str = "python -m harness") -> RunResult:
    info = RunInfo("mock", "http://127.0.0.1:1", "2026-12-01T10:00:00+00:00", 2.0, command)
    return RunResult(info, results)


def _write(path: Path, run: RunResult) -> Path:
    path.write_text(render_json(run), encoding="utf-8")
    return path


def test_each_run_is_kept_under_runs_by_its_start_time_and_the_latest_beside(
    tmp_path: Path,
) -> None:
    latest = tmp_path / "reports" / "matrix.html"
    first = write_and_keep(_run(make_result()), latest)[1]
    second = write_and_keep(_run(make_result()), latest)[1]
    assert first.html == tmp_path / "reports" / "runs" / "2026-12-01T10-00-00Z" / "matrix.html"
    assert second.html.parent.name == "2026-12-01T10-00-00Z-2"  # same second: a new directory
    assert latest.is_file() and latest.with_suffix(".json").is_file()
    assert first.json.is_file() and second.json.is_file()
    assert run_directory(latest, "").name == "unknown-time"


def test_only_the_newest_kept_runs_stay_and_nothing_else_is_touched(tmp_path: Path) -> None:
    latest = tmp_path / "reports" / "matrix.html"
    runs = latest.parent / "runs"
    mine = runs / "notes"  # not a kept run's name: never touched
    mine.mkdir(parents=True)
    (runs / "2026-01-01T00-00-00Z").mkdir()  # a kept run's name, but no report in it
    for day in ("03", "01", "02"):
        info = RunInfo("mock", "i", f"2026-12-{day}T10:00:00+00:00", 1.0, "python -m harness")
        write_and_keep(RunResult(info, (make_result(),)), latest, keep=2)
    assert sorted(p.name for p in runs.iterdir()) == [
        "2026-01-01T00-00-00Z", "2026-12-02T10-00-00Z", "2026-12-03T10-00-00Z", "notes"
    ]  # fmt: skip
    write_and_keep(_run(make_result()), latest, keep=2)  # an older start: it stays all the same
    assert sorted(p.name for p in runs.iterdir()) == [
        "2026-01-01T00-00-00Z", "2026-12-01T10-00-00Z", "2026-12-03T10-00-00Z", "notes"
    ]  # fmt: skip
    write_and_keep(_run(make_result()), latest, keep=None)  # all: none removed
    assert len(list(runs.iterdir())) == 5


def test_keep_runs_takes_a_number_or_all() -> None:
    assert runs_to_keep("all") is None and runs_to_keep("3") == 3
    for bad in ("0", "-1", "many"):
        with pytest.raises(argparse.ArgumentTypeError):
            runs_to_keep(bad)


def test_a_diff_names_changed_new_and_removed_checks_and_the_verdicts() -> None:
    before = _run(make_result(), make_result(check_id=GARBAGE),
                  make_result(check_id="RFC7662-2.2-revoked-token"))  # fmt: skip
    after = _run(make_result(status=Status.FAILED),
                 make_result(check_id=GARBAGE, status=Status.FAILED, fail_open=True),
                 make_result(check_id="RFC6750-3-error-body-json"))  # fmt: skip
    diff = compare(before, after)
    assert diff.verdicts == (Verdict.PASSED, Verdict.FAILED)
    assert [(c.key[2], c.before, c.after, c.worse) for c in diff.changed] == [
        ("RFC6750-3.1-garbage-token", "passed", "fail-open", True),
        ("RFC6750-3.1-no-credentials", "passed", "failed (MUST)", True),
    ]
    assert [r.check_id for r in diff.new] == ["RFC6750-3-error-body-json"]
    assert [r.check_id for r in diff.removed] == ["RFC7662-2.2-revoked-token"]
    text = "\n".join(diff_text(diff, ("mock.json", "live.json")))
    assert "Verdict: PASSED (mock.json) -> FAILED (live.json)" in text
    assert "WORSE  cell1-jwtp-pkjwt-opaque RFC6750-3.1-garbage-token: passed -> fail-open" in text


def test_an_improvement_is_marked_better_and_equal_runs_have_no_differences() -> None:
    failing = _run(make_result(status=Status.FAILED, level=Level.SHOULD))
    passing = _run(make_result())
    assert not compare(failing, passing).changed[0].worse
    assert compare(passing, passing).empty


def test_the_diff_command_exits_0_when_equal_1_when_different_2_for_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _write(tmp_path / "a.json", _run(make_result()))
    b = _write(tmp_path / "b.json", _run(make_result(status=Status.FAILED)))
    out = io.StringIO()
    assert main(["diff", str(a), str(a)], out) == 0
    assert main(["diff", str(a), str(b)], out) == 1
    assert "passed -> failed (MUST)" in out.getvalue()
    (tmp_path / "bad.json").write_text("{}")
    assert main(["diff", str(a), str(tmp_path / "bad.json")], out) == 2
    assert main(["diff", str(a), str(tmp_path / "missing.json")], out) == 2
    err = capsys.readouterr().err
    assert "bad.json is not a harness JSON report" in err and "missing.json" in err


def _whole_matrix(*results: CheckResult) -> tuple[CheckResult, ...]:
    """``results`` and one passing result in every other cell, so a merge misses none."""
    covered = {r.cell for r in results}
    rest = (make_result(f"{c.slug}-opaque") for c in cells() if c.number not in covered)
    return (*results, *rest)


def test_merging_shards_keeps_every_result_once_and_unions_the_headers() -> None:
    shard1 = _run(make_result(), command="python -m harness --cells 1")
    shard2 = RunResult(
        RunInfo("mock", "http://127.0.0.1:2", "2026-12-01T09:59:00+00:00", 5.0, "c2",
                warnings=("api_jwt: API_AUDIENCE is empty",)),
        _whole_matrix(make_result("cell2-jwtp-basic-opaque"), make_result()),
    )  # fmt: skip
    run, conflicts = merge([("a.json", shard1), ("b.json", shard2)], "merge")
    assert conflicts == []
    assert sorted(r.variant for r in run.results)[:2] == [
        "cell1-jwtp-pkjwt-opaque", "cell2-jwtp-basic-opaque"
    ]  # fmt: skip
    assert len(run.results) == 9
    assert run.info.issuer == "http://127.0.0.1:1, http://127.0.0.1:2"
    assert run.info.started_at == "2026-12-01T09:59:00+00:00" and run.info.duration_s == 5.0
    assert run.info.warnings == ("api_jwt: API_AUDIENCE is empty",)
    assert run.verdict is Verdict.PASSED


def test_conflicting_shards_are_reported_the_worse_result_kept_and_the_run_not_passed() -> None:
    ok = _run(*_whole_matrix(make_result()))
    bad = _run(make_result(status=Status.FAILED, level=Level.SHOULD), command="other")
    run, conflicts = merge([("a.json", ok), ("b.json", bad)])
    assert [str(c) for c in conflicts] == [
        "conflicting results for cell1-jwtp-pkjwt-opaque RFC6750-3.1-no-credentials: "
        "passed in a.json, failed (SHOULD) in b.json"
    ]
    assert next(r for r in run.results if r.cell == 1).status is Status.FAILED
    assert run.verdict is Verdict.INCOMPLETE
    assert run.info.problems == (str(conflicts[0]),)


def test_the_merge_command_writes_one_report_and_exits_with_its_verdict(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.json", _run(make_result(), command="python -m harness --cells 1"))
    rest = [r for r in _whole_matrix(make_result()) if r.cell != 1]
    b = _write(tmp_path / "b.json", _run(*rest, command="python -m harness --cells 2,3,4,5"))
    report = tmp_path / "merged" / "matrix.html"
    out = io.StringIO()
    assert main(["merge", str(a), str(b), "--report", str(report)], out) == 0
    data = json.loads(report.with_suffix(".json").read_text())
    assert data["verdict"] == "PASSED" and data["totals"]["total"] == 9
    assert (tmp_path / "merged" / "runs").is_dir()
    assert "Verdict: PASSED" in out.getvalue()


@pytest.mark.parametrize(
    ("word", "hint"),
    [("history", ""), ("dif", "did you mean 'diff'? "), ("merg", "did you mean 'merge'? ")],
)
def test_a_word_that_is_no_command_names_the_closest_and_the_commands(word: str, hint: str) -> None:
    assert unknown_command(word) == (
        f"there is no command {word!r}: {hint}the commands are 'diff' and 'merge'; a run takes "
        "options only (see --help)"
    )
