"""The issuer-behaviour section: HTML, JSON twin and terminal, with no verdict attached."""

from __future__ import annotations

import json
from pathlib import Path

from harness.model.results import ObservationResult, RunResult
from harness.report.html import render_html, write_report
from harness.report.json_report import read_json
from harness.report.terminal import observations_text

from .conftest import SECRET_TOKEN

SEEN = ObservationResult(
    "introspection-bad-api-secret", "Introspection: a wrong secret", "RFC 7662 §2.1", True,
    "HTTP 401 invalid_client, WWW-Authenticate: Basic", "", {"status": 401}, order=3,
)  # fmt: skip
UNSEEN = ObservationResult(
    "introspection-other-audience", "Introspection: another audience", "RFC 7662 §4", False,
    detail="OTHER_AUDIENCE_SCOPES is not set", order=7,
)  # fmt: skip


def _with_observations(run: RunResult) -> RunResult:
    return RunResult(run.info, run.results, (SEEN, UNSEEN))


def test_the_report_has_an_issuer_behaviour_section_with_every_observation(
    full_run: RunResult,
) -> None:
    html = render_html(_with_observations(full_run))
    section = html.split('id="issuer-behaviour"')[1].split('id="cell1"')[0]
    assert 'id="observation-introspection-bad-api-secret"' in section
    assert "HTTP 401 invalid_client, WWW-Authenticate: Basic" in section
    assert "NOT OBSERVED" in section and "OTHER_AUDIENCE_SCOPES is not set" in section
    assert 'href="#issuer-behaviour"' in html.split("<main>")[0]


def test_observations_never_change_the_verdict(full_run: RunResult) -> None:
    observed = _with_observations(full_run)
    assert observed.passed == full_run.passed
    assert observed.must_failures == full_run.must_failures


def test_a_run_without_observations_says_they_were_not_recorded(full_run: RunResult) -> None:
    section = render_html(full_run).split('id="issuer-behaviour"')[1]
    assert "Not recorded in this run." in section


def test_the_json_twin_round_trips_the_observations(full_run: RunResult, tmp_path: Path) -> None:
    run = _with_observations(full_run)
    paths = write_report(run, tmp_path / "matrix.html")
    assert read_json(paths.json) == run
    assert [o["id"] for o in json.loads(paths.json.read_text())["observations"]] == [
        SEEN.id, UNSEEN.id,
    ]  # fmt: skip


def test_a_json_twin_written_before_observations_existed_still_loads(full_run: RunResult) -> None:
    data = full_run.to_dict()
    del data["observations"]
    assert RunResult.from_dict(data).observations == ()


def test_the_terminal_lists_one_line_per_observation_and_says_why_one_is_missing(
    full_run: RunResult,
) -> None:
    lines = observations_text(_with_observations(full_run))
    assert len(lines) == 2
    assert lines[0].split()[:2] == ["introspection-bad-api-secret", "HTTP"]
    assert lines[1].endswith("(not observed: OTHER_AUDIENCE_SCOPES is not set)")
    assert SECRET_TOKEN not in "\n".join(lines)
