"""A subject that could not start has a row of its own, with its cause on one line, in the
terminal's overview, the HTML's subjects table and a merge of shards."""

from __future__ import annotations

from dataclasses import replace

from harness.model.results import RunInfo, RunResult
from harness.report.html import render_html
from harness.report.merge import merge
from harness.report.summary import SHOWN_START_CAUSE, not_started
from harness.report.terminal import matrix_table

from .conftest import make_result

EXITED = (
    "subject needs-flask exited with status 1 before it was ready; its last output lines:\n"
    "  stderr: Traceback (most recent call last):\n"
    "  stderr: ModuleNotFoundError: No module named 'flask'\n"
)


def _run(*, ran: bool = True, **not_started_: str) -> RunResult:
    info = RunInfo("mock", "http://127.0.0.1:1", "2026-12-01T10:00:00+00:00", 1.0, "c",
                   problems=("subject needs-flask, cell(s) 6 could not run",),
                   not_started=dict(not_started_))  # fmt: skip
    results = (make_result("cell6-pat-basic-opaque", subject="my-api"),) if ran else ()
    return RunResult(info, results)


def test_the_overview_shows_the_first_and_last_line_of_the_cause() -> None:
    rows = not_started(_run(**{"needs-flask": EXITED}))
    assert rows == {
        "needs-flask": "exited with status 1 before it was ready ... stderr: "
        "ModuleNotFoundError: No module named 'flask'"
    }
    long = not_started(_run(**{"x": "y" * 1000}))["x"]
    assert len(long) == SHOWN_START_CAUSE and long.endswith("...")


def test_the_terminal_table_has_a_row_for_a_subject_that_could_not_start_beside_one_that_ran(
) -> None:  # fmt: skip
    lines = matrix_table(_run(**{"needs-flask": EXITED, "b": "cannot run"})).splitlines()
    assert lines[2].split()[:2] == ["my-api", "PASSED"]
    assert lines[3] == (
        "needs-flask COULD NOT START: exited with status 1 before it was ready ... stderr: "
        "ModuleNotFoundError: No module named 'flask'"
    )
    assert lines[4] == "b           COULD NOT START: cannot run"


def test_with_no_subject_started_the_table_is_only_the_rows_that_say_why() -> None:
    text = matrix_table(_run(ran=False, **{"needs-flask": EXITED, "needs-node": "cannot run"}))
    rows = [line for line in text.splitlines() if "COULD NOT START" in line]
    assert [row.split()[0] for row in rows] == ["needs-flask", "needs-node"]


def test_the_html_has_a_row_per_subject_that_could_not_start_with_the_cause_escaped() -> None:
    html = render_html(_run(**{"needs-<b>": "cannot run '<node>'"}))
    assert '<tr class="not-started"><td class="name">needs-&lt;b&gt;</td>' in html
    assert "cannot run &#39;&lt;node&gt;&#39;" in html


def test_a_subject_is_no_longer_not_started_once_a_result_of_its_own_is_there() -> None:
    run = _run(**{"my-api": "cannot run"})
    assert not_started(run) == {}


def test_a_merge_keeps_the_rows_of_subjects_no_shard_ran() -> None:
    first = _run(**{"needs-flask": EXITED, "my-api": "cannot run"})
    second = replace(_run(ran=False), info=replace(first.info, command="other", not_started={}))
    run, _ = merge([("a.json", first), ("b.json", second)])
    assert list(run.info.not_started) == ["needs-flask"]  # my-api ran in a.json
