"""A subject that cannot start (its dependencies missing) still gets its row in the report,
with the cause, beside the subjects that ran: INCOMPLETE (exit 3); when no subject starts,
the run could not start (exit 2), and the report still names each one and why."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from harness.cli import EXIT_INCOMPLETE, EXIT_UNUSABLE, main

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[3]
# A subject whose library is not installed: it dies of the import before it is ready.
MISSING_DEPENDENCY = """\
name = "needs-flask"
mechanism = "client_secret_basic"
command = ["{python}", "-c", "import flask_that_is_not_installed"]
"""
NOT_INSTALLED = """\
name = "needs-node"
mechanism = "client_secret_basic"
command = ["./node_modules/.bin/not-installed", "{port}"]
"""
CAUSES = {
    "needs-flask": "No module named 'flask_that_is_not_installed'",
    "needs-node": "cannot run './node_modules/.bin/not-installed' (No such file or directory)",
}


def _folder(tmp_path: Path, *, with_sample: bool) -> Path:
    folder = tmp_path / "subjects"
    for name, text in (("flask", MISSING_DEPENDENCY), ("node", NOT_INSTALLED)):
        (folder / name).mkdir(parents=True)
        (folder / name / "subject.toml").write_text(text, encoding="utf-8")
    if with_sample:
        sample = (REPO / "api_basic_auth" / "subject.toml").read_text(encoding="utf-8")
        (folder / "sample").mkdir()
        (folder / "sample" / "subject.toml").write_text(
            sample.replace('cwd = ".."', f'cwd = "{REPO}"'), encoding="utf-8"
        )
    return folder


def _run(tmp_path: Path, folder: Path) -> tuple[int, str, Path]:
    out, report = io.StringIO(), tmp_path / "report" / "matrix.html"
    argv = ["--subject-dir", str(folder), "--cells", "6", "--checks", "ROUTE-public-without-token",
            "-n", "2", "--report", str(report)]  # fmt: skip
    return main(argv, out=out), out.getvalue(), report


def test_subjects_that_cannot_start_get_a_row_with_the_cause_beside_those_that_ran(
    tmp_path: Path,
) -> None:
    status, out, report = _run(tmp_path, _folder(tmp_path, with_sample=True))
    assert status == EXIT_INCOMPLETE, out
    (ran,) = [line for line in out.splitlines() if line.startswith("api_basic_auth ")]
    assert "PASSED" in ran  # the sample ran
    for name, cause in CAUSES.items():
        (row,) = [line for line in out.splitlines() if line.startswith(f"{name} ")]
        assert "COULD NOT START" in row and cause in row
    data = json.loads(report.with_suffix(".json").read_text())
    assert set(data["info"]["not_started"]) == set(CAUSES)
    assert {r["subject"] for r in data["results"]} == {"api_basic_auth"}
    html = report.read_text(encoding="utf-8")
    for name in CAUSES:
        assert f'<tr class="not-started"><td class="name">{name}</td>' in html


def test_when_no_subject_starts_the_run_could_not_start_and_the_report_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, report = _run(tmp_path, _folder(tmp_path, with_sample=False))
    assert status == EXIT_UNUSABLE
    assert "error: the run could not start:" in capsys.readouterr().err
    assert f"report: {report}" in out
    data = json.loads(report.with_suffix(".json").read_text())
    assert data["results"] == [] and set(data["info"]["not_started"]) == set(CAUSES)
    assert (
        "No module named 'flask_that_is_not_installed'"
        in data["info"]["not_started"]["needs-flask"]
    )
