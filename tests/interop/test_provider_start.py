"""The fixture's start waits on the script (its ready line or its exit), and a failed start
names the script's own error, not Node's runtime warning. No Node.js needed: stand-in scripts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from . import provider_process
from .provider_process import StartHung, read_ready_line

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


def test_a_script_that_hangs_is_killed_and_its_state_named(tmp_path: Path) -> None:
    script = f"import sys, time; sys.stderr.write('{WARNING}'); time.sleep(60)"
    process, stderr_file = start(script, tmp_path)
    with process, pytest.raises(StartHung) as hung:
        read_ready_line(process, stderr_file, budget_s=1.0)
    assert process.returncode is not None  # killed, not left running
    message = str(hung.value)
    assert "did not exit within 1s" in message
    assert "state S (sleeping)" in message
    assert "its stderr had nothing but Node's runtime warning" in message


def test_a_hung_start_is_retried_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    starts: list[Path] = []
    running: Any = object()

    @contextmanager
    def hangs_once(node: str, workdir: Path) -> Iterator[Any]:
        starts.append(workdir)
        if len(starts) == 1:
            raise StartHung("printed no ready line")
        yield running

    monkeypatch.setattr(provider_process, "_started", hangs_once)
    with provider_process.running_provider("node", tmp_path) as provider:
        assert provider is running
    assert [s.name for s in starts] == ["start-1", "start-2"]


def test_a_start_that_always_hangs_fails_naming_each_try(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextmanager
    def hangs(node: str, workdir: Path) -> Iterator[str]:
        raise StartHung(f"hung in {workdir.name}")
        yield "never"

    monkeypatch.setattr(provider_process, "_started", hangs)
    with (
        pytest.raises(pytest.fail.Exception) as failed,
        provider_process.running_provider("node", tmp_path),
    ):
        pass
    assert "start 1: hung in start-1; start 2: hung in start-2" in str(failed.value)
