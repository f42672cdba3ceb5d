"""The README stays a front page: at most 200 lines, both commands on its first screen as CI
runs them, and the pinned dependencies named (their reasons in docs/dependencies.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
FIRST_SCREEN = 40
SETUP = "python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt"
MAIN_COMMAND = f"{SETUP} && python -m harness"
TEST_COMMAND = f"{SETUP} && bash tests/install-deps.sh && pytest -n auto"


def pinned() -> list[str]:
    """The distribution names of requirements.txt, without extras."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line.split("#")[0].strip() for line in lines]
    return [re.split(r"[\[=]", pin)[0] for pin in pins if pin]


def test_the_readme_is_at_most_200_lines() -> None:
    assert len(README) <= 200


@pytest.mark.parametrize("command", [MAIN_COMMAND, TEST_COMMAND])
def test_both_commands_stand_on_the_first_screen(command: str) -> None:
    assert command in README[:FIRST_SCREEN]


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for step in ("python3 -m venv .venv", "-r requirements.txt", "bash tests/install-deps.sh"):
        assert step in ci
    assert ci.rstrip().splitlines()[-1] == "pytest -n auto"


def test_the_readme_names_every_pinned_dependency() -> None:
    section = "\n".join(README[README.index("## Dependencies") :]).lower()
    assert [name for name in pinned() if name.lower() not in section] == []


def test_docs_dependencies_gives_a_reason_for_each_pinned_dependency_and_no_other() -> None:
    text = (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1] for line in text.splitlines() if line.startswith("| `")]
    named = {code for row in rows for code in re.findall(r"`([^`\[]+)`", row)}
    assert named == set(pinned())
