"""A subject as a child process: started in its own process group, watched, stopped.

The environment is the subject file's ``[env]`` plus ``PATH`` and ``HOME``, nothing else of the
harness's (no secret of the harness's own environment reaches a third-party program). Every
line the subject prints on stdout or stderr is kept, for the no-secrets check (RFC 6750 §5.3)
and for failure reports, which only ever show it redacted. Stopping sends SIGTERM to the
whole group (a shell or ``npm`` wrapper takes its children with it), SIGKILL after a grace
period.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

MAX_LINES = 20_000
SHOWN_LINES = 20
STOP_GRACE_S = 5.0
POLL_S = 0.05
PASSED_VARIABLES = ("PATH", "HOME")


class SubjectStartError(Exception):
    """The subject did not start, died, or never became ready; the message says which."""


@dataclass(frozen=True)
class OutputLine:
    """One line the subject printed, and on which stream."""

    stream: str
    text: str


class SubjectProcess:
    """One running instance of a subject; ``stop()`` may be called more than once."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        env: Mapping[str, str],
        cwd: Path,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self._lines: list[OutputLine] = []
        self._guard = threading.Lock()
        base = os.environ if environ is None else environ
        full_env = {k: base[k] for k in PASSED_VARIABLES if k in base}
        full_env.update(env)
        try:
            self._process = subprocess.Popen(
                list(command), cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            )  # fmt: skip
        except OSError as exc:
            raise SubjectStartError(
                f"subject {name}: cannot run {command[0]!r} ({exc.strerror}); is it installed "
                "and on PATH, and is the command right?"
            ) from None
        self._readers = [
            self._reader(self._process.stdout, "stdout"),
            self._reader(self._process.stderr, "stderr"),
        ]

    @property
    def pid(self) -> int:
        """The child's process id (also its process group id)."""
        return self._process.pid

    @property
    def exit_code(self) -> int | None:
        """The exit status, or None while it runs."""
        return self._process.poll()

    def wait_exit(self, timeout_s: float) -> int | None:
        """Wait up to ``timeout_s`` for the process to end; its exit status, or None."""
        try:
            return self._process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return None

    def lines(self) -> list[OutputLine]:
        """Every line printed so far (bounded)."""
        with self._guard:
            return list(self._lines)

    def line_count(self) -> int:
        """How many lines are kept so far (cheaper than ``len(lines())``)."""
        with self._guard:
            return len(self._lines)

    def last_lines(self, redact: Callable[[str], str], count: int = SHOWN_LINES) -> str:
        """The last ``count`` lines, redacted, one per line, for a failure report."""
        shown = [f"  {line.stream}: {redact(line.text)}" for line in self.lines()[-count:]]
        return "\n".join(shown) if shown else "  (it printed nothing)"

    def wait_ready(self, url: str, timeout_s: float, redact: Callable[[str], str]) -> None:
        """Poll ``url`` until it answers below 500; `SubjectStartError` on exit or timeout."""
        deadline = time.monotonic() + timeout_s
        last = "no answer yet"
        with httpx.Client(timeout=2.0) as http:
            while True:
                if self.exit_code is not None:
                    self._join_readers()
                    raise self._failure(f"exited with status {self.exit_code} before it was ready",
                                        redact)  # fmt: skip
                try:
                    status = http.get(url).status_code
                except httpx.HTTPError as exc:
                    last = type(exc).__name__
                else:
                    if status < 500:
                        return
                    last = f"HTTP {status}"
                if time.monotonic() > deadline:
                    self.stop()
                    raise self._failure(
                        f"was not ready within {timeout_s:g}s (GET {url}: {last})", redact
                    )
                time.sleep(POLL_S)

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after the grace period; reap the child."""
        if self._process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self._process.wait()
        # Children that outlived the leader would keep the pipes open; end them too.
        self._signal(signal.SIGKILL)
        self._join_readers()

    def _signal(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, sig)

    def _failure(self, what: str, redact: Callable[[str], str]) -> SubjectStartError:
        return SubjectStartError(
            f"subject {self.name} {what}; its last output lines:\n{self.last_lines(redact)}"
        )

    def _reader(self, stream: IO[bytes] | None, label: str) -> threading.Thread:
        def read() -> None:
            assert stream is not None
            for raw in iter(stream.readline, b""):
                text = raw.decode("utf-8", "replace").rstrip("\r\n")
                with self._guard:
                    if len(self._lines) < MAX_LINES:
                        self._lines.append(OutputLine(label, text))
            stream.close()

        thread = threading.Thread(target=read, name=f"subject-{self.name}-{label}", daemon=True)
        thread.start()
        return thread

    def _join_readers(self) -> None:
        for thread in self._readers:
            thread.join(timeout=STOP_GRACE_S)
