"""The report: every cell once, failures visible, the JSON twin equal, no secret in it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from harness.model.results import Level, RunInfo, RunResult, Status
from harness.report.html import render_html, write_report
from harness.report.json_report import read_json
from harness.report.summary import count
from harness.report.terminal import matrix_table

from .conftest import SECRET_TOKEN, make_result


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [value or "" for name, value in attrs if name == "id"]


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_the_report_shows_every_cell_exactly_once(full_run: RunResult) -> None:
    ids = _parse(render_html(full_run)).ids
    for number in range(1, 10):
        assert ids.count(f"cell{number}") == 1
        assert ids.count(f"matrix-cell{number}") == 1


def test_the_report_links_each_matrix_cell_to_its_details(full_run: RunResult) -> None:
    html = render_html(full_run)
    for number in range(1, 10):
        assert f'href="#cell{number}"' in html


def test_a_failing_must_check_is_shown_as_failing_with_expected_and_actual(
    full_run: RunResult,
) -> None:
    html = render_html(full_run)
    row = html.split('id="cell3-cc-pkjwt-opaque-RFC6750-3.1-garbage-token"')[1].split("</td>")[0]
    assert "FAIL" in row and 'href="#failed-RFC6750-3.1-garbage-token"' in row
    group = html.split('id="failed-RFC6750-3.1-garbage-token"')[1].split("</details>")[0]
    assert "<strong>Expected:</strong> 401 invalid_token" in group
    assert "<strong>Actual:</strong> 200" in group
    assert "GET http://127.0.0.1:1/api/private" in group
    assert re.search(r'id="matrix-cell3"[^>]*>', html) and 'class="fail" id="matrix-cell3"' in html


def test_a_run_with_a_failed_must_check_says_failed_in_the_header(full_run: RunResult) -> None:
    assert not full_run.passed
    assert "FAILED" in render_html(full_run).split("<main>")[0]


def test_a_failed_should_check_is_labelled_and_does_not_fail_the_run() -> None:
    run = RunResult(
        _info(),
        (make_result(status=Status.FAILED, level=Level.SHOULD, expected="x", actual="y"),),
    )
    html = render_html(run)
    assert run.passed
    assert "FAIL (SHOULD)" in html
    assert 'class="warn" id="matrix-cell1"' in html


def test_not_applicable_checks_are_not_counted_as_passed(full_run: RunResult) -> None:
    totals = count(full_run.results)
    assert totals.not_applicable == 13
    assert totals.passed == 25


def test_the_report_is_self_contained_without_scripts_or_external_assets(
    full_run: RunResult,
) -> None:
    html = render_html(full_run)
    tags = _parse(html).tags
    assert "script" not in tags
    assert "link" not in tags
    assert not re.search(r"""src=["']?(https?:)?//""", html)
    # The only links out are to the RFCs, for the reader to follow; nothing is loaded.
    external = re.findall(r"""href=["']?((?:https?:)?//[^"' >]*)""", html)
    assert external and all(u.startswith("https://www.rfc-editor.org/rfc/rfc") for u in external)


def test_exchange_bodies_are_html_escaped(full_run: RunResult) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    failed = make_result(status=Status.FAILED, detail=hostile, actual=hostile)
    run = RunResult(full_run.info, (make_result(detail=hostile), failed))
    html = render_html(run)
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_the_report_contains_no_secret_that_was_redacted_before_recording(
    full_run: RunResult,
) -> None:
    assert SECRET_TOKEN not in render_html(full_run)


def test_write_report_writes_html_and_an_equal_json_twin(
    full_run: RunResult, tmp_path: Path
) -> None:
    paths = write_report(full_run, tmp_path / "out" / "matrix.html")
    assert paths.json == tmp_path / "out" / "matrix.json"
    assert read_json(paths.json) == full_run
    assert json.loads(paths.json.read_text())["info"]["mode"] == "mock"
    assert "matrix.json" in paths.html.read_text()


def test_the_footer_shows_the_command_that_reproduces_the_run(full_run: RunResult) -> None:
    footer = render_html(full_run).split("<footer>")[1]
    assert "python -m harness" in footer


def test_the_terminal_table_shows_every_cell_with_its_verdict(full_run: RunResult) -> None:
    table = matrix_table(full_run)
    for number in range(1, 10):
        assert f"| {number}: " in table
    assert "| 3: FAIL 1" in table
    assert "| 1: PASS" in table


def test_the_terminal_table_has_a_row_per_api_and_a_column_per_grant(full_run: RunResult) -> None:
    header, _, *rows = matrix_table(full_run).splitlines()
    grants = [" JWT profile ", " Client credentials ", " Personal access token"]
    assert header.split("|")[1:] == grants
    assert [row.split()[0] for row in rows[:3]] == ["api_jwt", "api_basic_auth", "api_local_jwt"]
    assert "7, 8, 9: local JWT validation" in matrix_table(full_run)


def test_the_third_column_is_local_jwt_validation_and_its_trade_off_is_explained(
    full_run: RunResult,
) -> None:
    html = render_html(full_run)
    assert "validates JWT access tokens locally with the issuer" in html
    assert "Not applicable: a PAT is opaque" in html
    assert "a revoked JWT stays accepted until it expires" in html


def _info() -> RunInfo:
    return RunInfo("mock", "http://127.0.0.1:1", "2026-01-01T00:00:00Z", 1.0, "python -m harness")


def test_a_cell_where_no_check_applies_reads_n_a_not_no_results() -> None:
    results = tuple(
        make_result("cell9-pat-ljwt-opaque", check_id, Status.NOT_APPLICABLE)
        for check_id in ("ROUTE-public-without-token", "RFC6750-3.1-garbage-token")
    )
    assert count(results).verdict == "not_applicable"
    assert count(()).verdict == "empty"
    table = matrix_table(RunResult(_info(), results))
    assert "9: N/A" in table
    assert "NO RESULTS" not in table
