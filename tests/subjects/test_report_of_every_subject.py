"""``python -m harness --subject-dir tests/subjects``: a report a reader can take in.

The twelve third-party subjects fail about a thousand checks between them. Measured on the run
itself: the HTML stays under 2 MB, the first failure is drawn within the first 1,500 px (on
the first screen, at 1400 x 900, in headless Chromium), and the terminal's ending, after the
progress lines, is at most 60 lines. Every subject must be installed (``tests/install-deps.sh``):
without one the tests skip with the reason, and fail under ``CI=true``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.subjects.file import load_subject_dir
from tests.browser import measure, on_first_screen
from tests.subjects.conftest import SubjectsRun
from tests.subjects.installs import installed

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PROGRESS = re.compile(r"^\S+:\s+cell \d ")


@dataclass(frozen=True)
class Run:
    """What the command printed and where it wrote the report."""

    status: int
    stdout: str
    report: Path

    @property
    def ending(self) -> list[str]:
        """The lines after the last progress line."""
        lines = self.stdout.splitlines()
        last = max(n for n, line in enumerate(lines) if PROGRESS.match(line))
        return lines[last + 1 :]


@pytest.fixture(scope="module")
def run(subjects_run: SubjectsRun) -> Run:
    """The session's run of every subject (``conftest.py``), once each one is installed."""
    for subject in load_subject_dir(HERE):
        installed(subject)
    return Run(subjects_run.status, subjects_run.stdout, subjects_run.report)


def test_the_html_report_stays_under_two_megabytes(run: Run) -> None:
    assert run.report.stat().st_size <= 2_000_000


def test_the_terminal_ending_is_at_most_sixty_lines(run: Run) -> None:
    ending = run.ending
    assert len(ending) <= 60, "\n".join(ending)
    assert any(line.startswith("Verdict: FAILED") for line in ending)
    assert any(line.startswith("report: ") for line in ending)


def test_the_first_failure_is_within_the_first_1500_px_and_on_the_first_screen(run: Run) -> None:
    found = measure(run.report)
    assert found["failure"]["top"] <= 1500
    for part in ("verdict", "overview", "failure"):
        assert on_first_screen(found, part), (part, found[part])
    assert found["injected"] == []
