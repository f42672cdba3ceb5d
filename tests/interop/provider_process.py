"""Running `provider.mjs` (oidc-provider on Node.js) as a child process for the tests.

The script prints one line of JSON when ready and writes a live-mode `.env`; this module
starts it, waits for that line or for the process to end, and stops it with SIGTERM. Node
starts in 1-3 s here, and in tens of seconds on a loaded machine; a start that neither prints
nor exits within `START_BUDGET_S` is a hang (seen once in CI, on one xdist worker): what the
process was doing is read from /proc, it is killed, and it is started once more, afresh. A
start that fails quotes the script's own error, without Node's "Unsupported runtime" warning.
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
START_BUDGET_S = 120.0
"""How long one start may go without printing or exiting before it is taken for a hang."""
START_ATTEMPTS = 2
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


class StartHung(Exception):
    """A start that neither printed its ready line nor exited within its budget."""


def read_ready_line(
    process: subprocess.Popen[str], stderr_file: Path, budget_s: float = START_BUDGET_S
) -> dict[str, Any]:
    """The script's one JSON line on stdout; if it exits first, a failure quoting its own
    error; if it does neither within ``budget_s``, `StartHung` saying what it was doing (the
    process killed)."""
    stdout: IO[str] | None = process.stdout
    assert stdout is not None
    ready: list[IO[str]] = []
    deadline = time.monotonic() + budget_s
    while not ready and time.monotonic() < deadline:
        # Readable on the ready line and on end of file (the script exited).
        ready, _, _ = select.select([stdout], [], [], 1.0)
    if not ready:
        doing = process_state(process.pid)
        process.kill()
        process.wait()
        raise StartHung(
            f"printed no ready line and did not exit within {budget_s:.0f}s ({doing}); "
            f"{script_error(stderr_file)}"
        )
    line = stdout.readline()
    if not line:  # end of file: the script is exiting
        process.wait(timeout=STOP_TIMEOUT_S)
        pytest.fail(
            f"{SCRIPT.name} exited with code {process.returncode} before it was ready; "
            f"{script_error(stderr_file)}",
            pytrace=False,
        )
    ready_line: dict[str, Any] = json.loads(line)
    return ready_line


def process_state(pid: int) -> str:
    """What a process is doing, from /proc: its state, the kernel function it waits in, and
    the state of each of its threads (empty parts left out where /proc cannot tell)."""
    proc = Path("/proc") / str(pid)
    parts = []
    for line in _read(proc / "status").splitlines():
        if line.startswith("State:"):
            parts.append("state " + line.split(":", 1)[1].strip())
    if wchan := _read(proc / "wchan").strip():
        parts.append(f"waiting in {wchan}")
    if threads := "".join(sorted(_thread_state(task) for task in _tasks(proc))):
        parts.append(f"thread states {threads}")
    return ", ".join(parts) or "no /proc entry"


def _thread_state(task: Path) -> str:
    """One letter (R running, S sleeping, D in I/O, T stopped...), or empty if unknown."""
    fields = _read(task / "stat").rsplit(")", 1)[-1].split()
    return fields[0] if fields else ""


def _tasks(proc: Path) -> list[Path]:
    try:
        return list((proc / "task").iterdir())
    except OSError:
        return []


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


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
    """Start `provider.mjs` writing its `.env` under `workdir` (a second time, afresh, after a
    start that hung); stop it (and check) on exit."""
    hangs = []
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            with _started(node, workdir / f"start-{attempt}") as provider:
                yield provider
            return
        except StartHung as hung:
            hangs.append(f"start {attempt}: {hung}")
    pytest.fail(f"{SCRIPT.name} did not start: " + "; ".join(hangs), pytrace=False)


@contextmanager
def _started(node: str, workdir: Path) -> Iterator[OidcProvider]:
    workdir.mkdir(parents=True)
    stderr_file = workdir / "provider.stderr.log"
    command = [node, str(SCRIPT), "--port", "0", "--write-env", str(workdir / "env")]
    started = time.monotonic()
    with (
        stderr_file.open("w", encoding="utf-8") as stderr,
        subprocess.Popen(
            command,
            cwd=HERE,
            stdin=subprocess.DEVNULL,  # never the xdist worker's own channel
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
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
