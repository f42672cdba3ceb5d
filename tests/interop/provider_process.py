"""Running `provider.mjs` (oidc-provider on Node.js) as a child process for the tests.

The script prints one line of JSON when ready and writes a live-mode `.env`; this module
starts it, waits for that line or for the process to end (however long Node takes to load on a
busy machine; only a hang guard of several minutes), and stops it with SIGTERM. A start that
fails quotes the script's own error, without Node's unrelated "Unsupported runtime" warning.
The issuer it runs speaks RFC 6749, RFC 7523, RFC 7662 and RFC 7009 (see README.md beside
this file).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NoReturn

import pytest
from dotenv import dotenv_values

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "provider.mjs"
HANG_GUARD_S = 300.0
"""Not a start-up budget: only how long a script that neither prints nor exits may hang."""
NODE_NOISE = ("oidc-provider WARNING: Unsupported runtime",)
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class OidcProvider:
    """A running oidc-provider: its issuer URL and the live-mode `.env` it wrote."""

    issuer: str
    env_file: Path
    env: Mapping[str, str]
    resources: Mapping[str, str]
    startup_seconds: float


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer machine; fail under CI=true so a missing install cannot pass."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the interop tests must run in CI)", pytrace=False)
    pytest.skip(reason)


def check_installed() -> str:
    """The `node` executable, or skip/fail naming the install step that is missing."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not on PATH: install Node.js 20.18+ (22 LTS recommended)")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        unavailable(f"{HERE / 'node_modules'} is missing: run `npm ci --prefix tests/interop`")
    return node


def read_ready_line(process: subprocess.Popen[str], stderr_file: Path) -> dict[str, Any]:
    """The script's one JSON line on stdout; or, if it exits (or hangs) first, a failure
    quoting its own error."""
    stdout: IO[str] | None = process.stdout
    assert stdout is not None
    ready: list[IO[str]] = []
    deadline = time.monotonic() + HANG_GUARD_S
    while not ready and time.monotonic() < deadline:
        # Readable on the ready line and on end of file (the script exited).
        ready, _, _ = select.select([stdout], [], [], 1.0)
    line = stdout.readline() if ready else ""
    if not line:
        if ready:  # end of file: the script is exiting
            process.wait(timeout=STOP_TIMEOUT_S)
        fail_to_start(process, stderr_file)
    ready_line: dict[str, Any] = json.loads(line)
    return ready_line


def fail_to_start(process: subprocess.Popen[str], stderr_file: Path) -> NoReturn:
    """Fail the fixture saying how the script ended and what it said."""
    if process.poll() is None:
        how = f"printed no ready line and did not exit within {HANG_GUARD_S:.0f}s"
        process.kill()
        process.wait()
    else:
        how = f"exited with code {process.returncode} before it was ready"
    pytest.fail(f"{SCRIPT.name} {how}; {script_error(stderr_file)}", pytrace=False)


def script_error(stderr_file: Path) -> str:
    """The script's stderr, less Node's runtime warnings, which are never the cause."""
    text = stderr_file.read_text(encoding="utf-8", errors="replace")
    lines = [line for line in text.splitlines() if not line.startswith(NODE_NOISE)]
    said = "\n".join(lines)[-2000:].strip()
    return f"its stderr:\n{said}" if said else "its stderr had nothing but Node's runtime warning"


def stop(process: subprocess.Popen[str], stderr_file: Path) -> None:
    """SIGTERM, then check that the script shut down cleanly (exit code 0)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"{SCRIPT.name} ignored SIGTERM for {STOP_TIMEOUT_S:.0f}s", pytrace=False)
    if process.returncode != 0:
        stderr = stderr_file.read_text(encoding="utf-8", errors="replace")[-2000:]
        pytest.fail(f"{SCRIPT.name} exited with {process.returncode}; stderr:\n{stderr}")


def load_env(env_file: Path) -> dict[str, str]:
    """The `.env` the script wrote, as a plain dict (every variable has a value)."""
    return {name: value or "" for name, value in dotenv_values(env_file).items()}


@contextmanager
def running_provider(node: str, workdir: Path) -> Iterator[OidcProvider]:
    """Start `provider.mjs` writing its `.env` under `workdir`; stop it (and check) on exit."""
    stderr_file = workdir / "provider.stderr.log"
    command = [node, str(SCRIPT), "--port", "0", "--write-env", str(workdir / "env")]
    started = time.monotonic()
    with (
        stderr_file.open("w", encoding="utf-8") as stderr,
        subprocess.Popen(
            command, cwd=HERE, stdout=subprocess.PIPE, stderr=stderr, text=True
        ) as process,
    ):
        ready = read_ready_line(process, stderr_file)
        env_file = Path(ready["env_file"])
        try:
            yield OidcProvider(
                issuer=ready["issuer"],
                env_file=env_file,
                env=load_env(env_file),
                resources=ready["resources"],
                startup_seconds=time.monotonic() - started,
            )
        finally:
            stop(process, stderr_file)
