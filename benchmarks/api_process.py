"""The parent's handle on an API served by `python -m benchmarks.api_server` in a child process.

Starting it waits for the child's `{"url": ...}` line; `usage()` asks the child for its CPU
time and peak RSS; `stop()` closes its stdin and waits. The API introspects (RFC 7662 §2.1,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1) with the cache TTL of its `ApiConfig`; the
child sees only the `.env` file and that one variable, never the user's exported settings. Its
stderr goes to a log file, whose tail is shown if it fails to start.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from benchmarks.scenarios import ApiConfig
from oauthkit import VARIABLES

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 30.0
REPLY_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ApiUsage:
    """What `getrusage` says about the API process: CPU seconds and peak RSS (KiB) so far."""

    cpu_s: float
    peak_rss_kib: int


class ApiProcess:
    """One sample API in a child process; a context manager."""

    def __init__(
        self, config: ApiConfig, env_file: Path, log_file: Path, profile: Path | None = None
    ) -> None:
        self.config = config
        self._profile = profile
        self._env_file = env_file
        self._log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None
        self._url: str | None = None

    @property
    def workdir(self) -> Path:
        """The folder of its log file, where load scripts for it may be written."""
        return self._log_file.parent

    @property
    def url(self) -> str:
        """The API's base URL; only known once started."""
        if self._url is None:
            raise RuntimeError("ApiProcess.url is only known after start(); call start().")
        return self._url

    def start(self) -> ApiProcess:
        """Spawn the child and wait until it serves."""
        command = [sys.executable, "-m", "benchmarks.api_server", self.config.app]
        if self._profile is not None:
            command += ["--profile", str(self._profile)]
        with self._log_file.open("wb") as log:
            self._process = subprocess.Popen(
                [*command, "--env-file", str(self._env_file)],
                cwd=REPO,
                env=self._environ(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
            )
        try:
            self._url = str(self._reply(START_TIMEOUT_S, "start")["url"])
        except BaseException:
            self.stop()
            raise
        return self

    def usage(self) -> ApiUsage:
        """The child's CPU time and peak resident set size so far."""
        stdin = self._pipes()[0]
        try:
            stdin.write(b"usage\n")
            stdin.flush()
        except BrokenPipeError:
            raise self._failure("exited") from None
        reply = self._reply(REPLY_TIMEOUT_S, "report its usage")
        return ApiUsage(float(reply["cpu_s"]), int(reply["peak_rss_kib"]))

    def stop(self) -> None:
        """Close the child's stdin (it shuts down) and wait; kill it if it hangs."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):  # the child may be gone already
                process.stdin.close()
        try:
            process.wait(REPLY_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> ApiProcess:
        return self if self._process is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _environ(self) -> dict[str, str]:
        # A developer's exported settings must not change what is measured.
        environ = {k: v for k, v in os.environ.items() if k not in VARIABLES}
        return environ | {"INTROSPECTION_CACHE_TTL": f"{self.config.cache_ttl:g}"}

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise RuntimeError(f"the API process {self.config.label} is not running")
        return process.stdin, process.stdout

    def _reply(self, timeout_s: float, what: str) -> dict[str, Any]:
        stdout = self._pipes()[1]
        ready, _, _ = select.select([stdout], [], [], timeout_s)
        line = stdout.readline() if ready else b""
        if not line:
            # Ready but empty is the end of its output: the child closed it, so it is exiting.
            raise self._failure("exited" if ready else f"did not {what} within {timeout_s:g} s")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _failure(self, problem: str) -> RuntimeError:
        return RuntimeError(
            f"the API process {self.config.label} {problem}; its log {self._log_file} ends "
            f"with:\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 15) -> str:
        try:
            text = self._log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty)"
