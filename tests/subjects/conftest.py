"""One ``python -m harness --subject-dir tests/subjects`` run for the whole session.

Its report is what ``test_report_of_every_subject.py`` measures, and its JSON holds the pinned
verdicts ``test_third_party.py`` asserts (each subject's client-credentials cell): the twelve
subjects run once, not once for each file. Both files are one `SHARED` group
(``tests/conftest.py``), so one xdist worker runs them and the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.model.results import RunResult
from harness.report.json_report import run_from
from harness.subjects.file import load_subject_dir
from tests.subjects.installs import missing

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


@dataclass(frozen=True)
class SubjectsRun:
    """What the command printed, where it wrote the report, what it found, what it left out."""

    status: int
    stdout: str
    report: Path
    result: RunResult
    not_installed: tuple[str, ...]  # subject names whose toolchain or install is missing


@pytest.fixture(scope="session")
def subjects_run(tmp_path_factory: pytest.TempPathFactory) -> SubjectsRun:
    """Every installed subject here, in one harness run (three workers)."""
    subjects = load_subject_dir(HERE)
    runnable = [s for s in subjects if missing(s) is None]
    if not runnable:
        pytest.skip("no third-party subject is installed: run tests/install-deps.sh")
    report = tmp_path_factory.mktemp("every-subject") / "matrix.html"
    every = len(runnable) == len(subjects)  # as a user runs it, else the installed ones
    chosen = ["--subject-dir", str(HERE)] if every else [
        arg for s in runnable for arg in ("--subject", str(s.path))
    ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "harness", *chosen, "-n", "3", "--report", str(report)],
        cwd=REPO, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    result = run_from(json.loads(report.with_suffix(".json").read_text(encoding="utf-8")))
    left = tuple(s.name for s in subjects if missing(s) is not None)
    return SubjectsRun(done.returncode, done.stdout, report, result, left)
