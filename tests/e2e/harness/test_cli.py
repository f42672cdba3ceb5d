"""``python -m harness``: progress, the terminal matrix, the report, and the exit status."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.cli import main, parser
from mock_issuer.issuer import MockIssuer

pytestmark = pytest.mark.e2e
FEW_CHECKS = "ROUTE-public-without-token,RFC6750-2.1-valid-token,RFC7662-2.2-revoked-token"


@pytest.fixture
def live_env(tmp_path: Path) -> Iterator[Path]:
    """A running mock issuer described by a .env, as a user's live instance would be."""
    issuer = MockIssuer().start()
    try:
        yield issuer.provision().write_env(tmp_path / "live")
    finally:
        issuer.stop()


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


@dataclass(frozen=True)
class Run:
    """One finished ``python -m harness`` run: its exit status, terminal output and report."""

    status: int
    out: str
    report: Path


def _kept_run(report: Path, *args: str) -> Run:
    return Run(*_run(*args, "--report", str(report)), report)


@pytest.fixture(scope="module")
def cell_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Cells 5 and 6, each run alone on one worker (shards of one matrix); run once, read by
    several tests (none writes to them)."""
    folder = tmp_path_factory.mktemp("cells")
    options = ("-n", "1", "--checks", FEW_CHECKS, "--cells")
    return {cell: _kept_run(folder / cell / "matrix.html", *options, cell) for cell in ("5", "6")}


@pytest.fixture(scope="module")
def two_worker_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Cells 5 and 6 on two worker processes, run once for the tests that read it."""
    report = tmp_path_factory.mktemp("two-workers") / "matrix.html"
    return _kept_run(report, "-n", "2", "--cells", "5,6", "--checks", FEW_CHECKS)


def test_help_explains_every_option() -> None:
    text = parser().format_help()
    for option in ("--env-file", "--issuer", "--report", "-n", "--cells", "--checks"):
        assert option in text


def test_a_passing_run_prints_progress_the_matrix_and_the_report_path_and_exits_0(
    cell_runs: dict[str, Run],
) -> None:
    status, out, report = cell_runs["6"].status, cell_runs["6"].out, cell_runs["6"].report
    assert status == 0
    assert "cell 6 Personal access token" in out
    assert "| 6: PASS" in out
    assert f"report: {report}" in out
    assert report.is_file() and report.with_suffix(".json").is_file()


def test_cells_run_in_worker_processes_each_appear_once(two_worker_run: Run) -> None:
    status, out, report = two_worker_run.status, two_worker_run.out, two_worker_run.report
    assert status == 0
    assert out.count("cell 5 ") == 1 and out.count("cell 6 ") == 1
    results = json.loads(report.with_suffix(".json").read_text())["results"]
    assert sorted({r["cell"] for r in results}) == [5, 6]
    assert len(results) == 6


def test_a_missing_env_file_is_an_error_naming_it_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _run("--env-file", str(tmp_path / "nope.env"))
    assert status == 2
    assert "nope.env does not exist" in capsys.readouterr().err


def test_an_unknown_cell_is_an_error_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--cells", "10")[0] == 2
    assert "1 to 9" in capsys.readouterr().err


def test_a_live_run_where_nothing_is_configured_proves_nothing_and_exits_3_incomplete(
    live_env: Path, tmp_path: Path
) -> None:
    (issuer,) = [line for line in live_env.read_text().splitlines() if "ZITADEL_DOMAIN=" in line]
    env_file = tmp_path / ".env"
    env_file.write_text(f"{issuer}\n")  # only the issuer, which answers
    report = tmp_path / "matrix.html"
    status, out = _run(
        "--env-file", str(env_file), "-n", "1", "--cells", "5", "--checks", FEW_CHECKS,
        "--report", str(report),
    )  # fmt: skip
    assert status == 3, out
    assert "No check ran" in out
    assert "Verdict: INCOMPLETE" in out
    assert "not configured: PERSONAL_ACCESS_TOKEN" in out
    assert "INCOMPLETE" in report.read_text()


def test_live_mode_runs_against_any_issuer_described_by_a_env_file(
    live_env: Path, tmp_path: Path
) -> None:
    report = tmp_path / "matrix.html"
    status, out = _run(
        "--env-file", str(live_env), "-n", "1", "--cells", "4", "--checks", FEW_CHECKS,
        "--report", str(report),
    )  # fmt: skip
    assert status == 0, out
    data = json.loads(report.with_suffix(".json").read_text())
    assert data["info"]["mode"] == "live"
    statuses = {r["check_id"]: r["status"] for r in data["results"]}
    assert statuses == {
        "ROUTE-public-without-token": "passed",
        "RFC6750-2.1-valid-token": "passed",
        "RFC7662-2.2-revoked-token": "passed",  # revoked over HTTP (RFC 7009), then confirmed
    }


def test_the_run_prints_and_reports_the_issuer_behaviour_once(two_worker_run: Run) -> None:
    status, out, report = two_worker_run.status, two_worker_run.out, two_worker_run.report
    assert status == 0
    section = out.split("Issuer behaviour (recorded, not judged):")[1]
    assert "introspection-inactive-shape" in section and '{"active": false}' in section
    observations = json.loads(report.with_suffix(".json").read_text())["observations"]
    ids = [o["id"] for o in observations]
    assert len(ids) == len(set(ids)) == 9
    assert 'id="issuer-behaviour"' in report.read_text()


def test_runs_are_kept_and_shards_diff_and_merge_through_the_same_command(
    cell_runs: dict[str, Run], tmp_path: Path
) -> None:
    shards = []
    for cell in ("5", "6"):
        run = cell_runs[cell]
        assert run.status == 0, run.out
        assert len(list((run.report.parent / "runs").glob("*/matrix.json"))) == 1
        shards.append(str(run.report.with_suffix(".json")))
    status, out = _run("diff", *shards)
    assert status == 1  # cell 5's checks are only in the first, cell 6's only in the second
    assert "Only in" in out and "cell6-pat-basic-opaque" in out
    merged = tmp_path / "all" / "matrix.html"
    status, out = _run("merge", *shards, "--report", str(merged))
    assert status == 3, out  # two cells of nine: the merge says which ones no shard ran
    data = json.loads(merged.with_suffix(".json").read_text())
    assert {r["cell"] for r in data["results"]} == {5, 6}
    assert data["verdict"] == "INCOMPLETE"
    assert "subject api_jwt: no shard ran cell(s) 1, 3 of 3" in data["info"]["problems"]
    assert "subject api_basic_auth: no shard ran cell(s) 2, 4 of 3" in out
