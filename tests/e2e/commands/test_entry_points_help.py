"""Every module entry point the documentation names (`python -m X`) answers `--help` with its
usage and exit status 0, and a word that is no command of the harness is an error (exit 2)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import harness

pytestmark = pytest.mark.e2e

REPO = Path(harness.__file__).resolve().parent.parent
DOCUMENTS = sorted(
    {REPO / "README.md", *REPO.glob("docs/*.md"), *REPO.glob("*/README.md"),
     *REPO.glob("tests/*/README.md")}
)  # fmt: skip
MODULE = re.compile(r"python3? -m ([A-Za-z_][\w.]*)")
NOT_OURS = {"venv", "pip", "pytest"}


def documented_modules() -> list[str]:
    """Every `python -m X` in the documentation that names one of this repository's modules
    (not `api_*`-style patterns nor the standard library's tools)."""
    found = set()
    for document in DOCUMENTS:
        for module in MODULE.findall(document.read_text(encoding="utf-8")):
            module = module.rstrip(".")
            if module not in NOT_OURS and not module.endswith("_"):
                found.add(module)
    return sorted(found)


MODULES = documented_modules()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_the_documentation_names_the_entry_points_this_test_walks() -> None:
    assert {"harness", "mock_issuer", "harness.report.table", "benchmarks.load_process",
            "tests.unit.architecture", "api_jwt", "service_user_pat"} <= set(MODULES)  # fmt: skip


@pytest.mark.parametrize(
    "command", [[m] for m in MODULES] + [["harness", "diff"], ["harness", "merge"]], ids=str
)
def test_every_documented_entry_point_answers_help(command: list[str]) -> None:
    done = _run(*command, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: "), done.stdout[:300]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("word", "hint"),
    [("history", "the commands are 'diff' and 'merge'"), ("merg", "did you mean 'merge'?")],
)
def test_a_word_that_is_no_command_is_an_error_even_with_help(word: str, hint: str) -> None:
    done = _run("harness", word, "--help")
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"error: there is no command {word!r}: " in done.stderr and hint in done.stderr
