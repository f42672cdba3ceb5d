"""Whether a third-party subject can run here: its toolchain and its install
(``tests/install-deps.sh`` makes them); a missing one skips, and fails under ``CI=true``."""

from __future__ import annotations

import os
import shutil

import pytest

from harness.subjects.file import Subject


def unavailable(reason: str) -> None:
    """Skip on a developer machine; fail under CI=true, where tests/install-deps.sh installs
    every subject."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: tests/install-deps.sh installs every subject)", False)
    pytest.skip(reason)


def missing(subject: Subject) -> str | None:
    """Why the subject cannot run here (its toolchain or install is missing), or None."""
    program = subject.command[0]
    if "/" in program:
        if not (subject.cwd / program).exists():
            return f"{subject.cwd / program} is missing: run tests/install-deps.sh"
        return None
    if shutil.which(program) is None:
        return f"{program} is not on PATH: install it to run subject {subject.name}"
    if program == "node" and not (subject.cwd / "node_modules").is_dir():
        return f"run `npm ci --prefix {subject.cwd}`"
    return None


def installed(subject: Subject) -> None:
    """Skip (or fail under CI) when the subject's toolchain or install is missing."""
    if reason := missing(subject):
        unavailable(reason)
