"""A faster harness checks no less: the default run, as a user starts it, gives every check of
every cell and variant the status and level of the reference (issue 15), by the harness's own
``python -m harness diff``; ``reference.py`` says how the reference is written anew."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.harness.reference import REFERENCE

REPO = Path(__file__).resolve().parents[3]
ANEW = "python -m tests.e2e.harness.reference <the run's matrix.json>"


def _harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args], cwd=REPO, capture_output=True, text=True,
        timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def test_the_default_run_gives_each_check_the_status_and_level_of_the_reference(
    tmp_path: Path,
) -> None:
    report = tmp_path / "matrix.html"
    run = _harness("--report", str(report))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    diff = _harness("diff", str(REFERENCE), str(report.with_suffix(".json")))
    assert diff.returncode == 0 and "No differences" in diff.stdout, (
        f"{diff.stdout[-4000:]}{diff.stderr[-2000:]}\nA change on purpose? Write the reference "
        f"anew from a run you have looked at: {ANEW}"
    )


def test_a_run_whose_one_check_moved_differs_from_the_reference(
    tmp_path: Path,
) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    changed = tmp_path / "changed.json"
    first = text.index('"status": "passed"')
    changed.write_text(text[:first] + '"status": "failed"' + text[first + 18 :], encoding="utf-8")
    diff = _harness("diff", str(REFERENCE), str(changed))
    assert diff.returncode == 1 and "Changed (1, 1 worse)" in diff.stdout, diff.stdout
