"""The fixture's start waits on the script (its ready line or its exit), and a failed start
names the script's own error, not Node's runtime warning. No Node.js needed: stand-in scripts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .provider_process import read_ready_line

WARNING = "oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS.\\n"


def start(script: str, tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    stderr_file = tmp_path / "stderr.log"
    with stderr_file.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    return process, stderr_file


def test_a_script_slower_than_one_poll_is_waited_for(tmp_path: Path) -> None:
    script = f"import sys, time; sys.stderr.write('{WARNING}'); time.sleep(1.5); print('{{}}')"
    process, stderr_file = start(script, tmp_path)
    with process:
        assert read_ready_line(process, stderr_file) == {}


def test_a_script_that_exits_fails_at_once_with_its_own_error(tmp_path: Path) -> None:
    script = f"import sys; sys.stderr.write('{WARNING}provider.mjs: port 1 taken\\n'); sys.exit(3)"
    process, stderr_file = start(script, tmp_path)
    with process, pytest.raises(pytest.fail.Exception) as failed:
        read_ready_line(process, stderr_file)
    message = str(failed.value)
    assert "exited with code 3 before it was ready" in message
    assert "provider.mjs: port 1 taken" in message
    assert "Unsupported runtime" not in message
