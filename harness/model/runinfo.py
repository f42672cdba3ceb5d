"""What a report says about the run itself: when, how long, which versions, which command,
which subject files.

The date is RFC 3339 (§5.6) in UTC; versions come from the installed distributions.
"""

from __future__ import annotations

import platform
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

import oauthkit
from harness.model.serial import Serial

PROJECT = "zitadel-introspection-matrix"
PROJECT_VERSION = oauthkit.__version__
_DISTRIBUTIONS = ("httpx", "PyJWT", "cryptography", "fastapi", "starlette", "uvicorn", "pytest")


def now_iso() -> str:
    """The current time as an RFC 3339 timestamp in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def versions() -> dict[str, str]:
    """The project, Python and the libraries the run depends on, with their versions."""
    found = {PROJECT: PROJECT_VERSION, "python": platform.python_version()}
    for name in _DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def command_line(program: str, args: Sequence[str]) -> str:
    """A shell-quoted command line that reproduces the run."""
    return shlex.join([program, *args])


def python_module_command(module: str, args: Sequence[str]) -> str:
    """``python -m module args...`` as a reproducible command line."""
    return command_line("python", ["-m", module, *args])


@dataclass(frozen=True)
class SubjectInfo(Serial):
    """What a report needs of a subject file: where it is (to rerun one check), how the API
    checks tokens, and which of its own settings each placeholder fills (for true advice)."""

    name: str
    file: str
    mechanism: str
    description: str = ""
    # (placeholder, the subject's name for what it fills): ("api_client_secret", "SECRET").
    settings: tuple[tuple[str, str], ...] = ()

    def named(self, *placeholders: str) -> tuple[str, ...]:
        """The subject's own names of what these placeholders fill, in the given order."""
        found = (name for p in placeholders for held, name in self.settings if held == p)
        return tuple(dict.fromkeys(found))
