"""A subject as a child process: started in its own session and process group, watched, stopped.

The environment is the subject file's ``[env]`` plus ``PATH``, ``HOME`` and the harness's
marker (``HARNESS_SUBJECT_ID``, a random id), nothing else of the harness's (no secret of the
harness's own environment reaches a third-party program). Every line the subject prints on
stdout or stderr is read and kept, bounded (``logcapture.py``: each line's head and tail,
2 KiB; the newest lines and each check's first), for the no-secrets check (RFC 6750 §5.3) and
for failure reports, which only ever show it redacted. Stopping sends SIGTERM to the whole
group (a shell or ``npm`` wrapper takes its children with it) and to the daemons that left it
(``reaper.py``), then SIGKILL after a grace period to every one left; so does a subject that
exits before it is ready. Once a run is being stopped (`hurry_stops`) the grace is short.
Every subject still running when the process exits is stopped then (`stop_all`).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Protocol

import httpx

from harness.model.kept import Kept, Window
from harness.subjects import reaper
from harness.subjects.output import OutputLine, read_lines

SHOWN_LINES = 20
STOP_GRACE_S = 5.0
# The grace once the run itself is being stopped (a signal): the whole run ends in seconds.
HURRIED_GRACE_S = 1.0
POLL_S = 0.05
PASSED_VARIABLES = ("PATH", "HOME")
_LIVE: set[SubjectProcess] = set()
_hurried = threading.Event()
_watching = threading.Event()
_numbers = itertools.count(1)


class Launched(Protocol):
    """A started instance, as `subprocess.Popen` is one (or `preload.Adopted`)."""

    pid: int
    stdout: IO[bytes] | None
    stderr: IO[bytes] | None

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...


# Another way to start a subject's command (cwd, full environment); None: start it as usual.
Launch = Callable[[Sequence[str], Path, Mapping[str, str]], Launched | None]


class SubjectStartError(Exception):
    """The subject did not start, died, or never became ready; the message says which."""


class SubjectProcess:
    """One running instance of a subject; ``stop()`` may be called more than once."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        env: Mapping[str, str],
        cwd: Path,
        environ: Mapping[str, str] | None = None,
        pass_fds: tuple[int, ...] = (),
        launch: Launch | None = None,
    ) -> None:
        self.name = name
        self._lines: Kept[OutputLine] = Kept()
        base = os.environ if environ is None else environ
        full_env = {k: base[k] for k in PASSED_VARIABLES if k in base}
        full_env.update(env)
        self.number = next(_numbers)
        self.marker = f"{os.getpid()}.{self.number}.{secrets.token_hex(4)}"
        full_env[reaper.MARKER] = self.marker
        _watch_orphans()
        launched = launch(command, cwd, full_env) if launch else None
        try:
            self._process: Launched = launched or subprocess.Popen(
                list(command), cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                pass_fds=pass_fds,
            )  # fmt: skip
        except OSError as exc:
            raise SubjectStartError(
                f"subject {name}: cannot run {command[0]!r} ({exc.strerror}); is it installed "
                "and on PATH, and is the command right?"
            ) from None
        _LIVE.add(self)
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

    def lines(self, mark: int = 0) -> Window[OutputLine]:
        """The lines printed after ``mark`` (bounded: see `Kept.window`)."""
        return self._lines.window(mark)

    def line_count(self) -> int:
        """How many lines were printed so far; also a mark for `lines`."""
        return self._lines.mark()

    def last_lines(self, redact: Callable[[str], str], count: int = SHOWN_LINES) -> str:
        """The last ``count`` lines, redacted, one per line, for a failure report."""
        shown = [f"  {line.stream}: {redact(line.text)}" for line in self._lines.newest(count)]
        return "\n".join(shown) if shown else "  (it printed nothing)"

    def wait_ready(self, url: str, timeout_s: float, redact: Callable[[str], str]) -> None:
        """Poll ``url`` until it answers below 500; `SubjectStartError` on exit or timeout."""
        deadline = time.monotonic() + timeout_s
        last = "no answer yet"
        # Plain HTTP on loopback: no TLS context to build (it costs tens of ms of CPU each).
        with httpx.Client(timeout=2.0, verify=False) as http:
            while True:
                if self.exit_code is not None:
                    self.stop()  # what it forked may still run, in its group or not
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
        """SIGTERM to the subject's processes, SIGKILL after the grace period to every one
        left (its group, its session, the daemons with its marker); reap the child."""
        if self._process.poll() is None:
            self._signal(signal.SIGTERM)
            reaper.signal_all(self._tree() - {self.pid}, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=_grace())
        reaper.kill_all(self._tree, keep={self.pid})
        # Without a process table (not Linux): the group at least.
        self._signal(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=_grace())
        self._join_readers()
        _LIVE.discard(self)

    def _signal(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, sig)

    def _tree(self) -> set[int]:
        return reaper.subject_tree(self.pid, f"{reaper.MARKER}={self.marker}".encode())

    def _failure(self, what: str, redact: Callable[[str], str]) -> SubjectStartError:
        return SubjectStartError(
            f"subject {self.name} {what}; its last output lines:\n{self.last_lines(redact)}"
        )

    def _reader(self, stream: IO[bytes] | None, label: str) -> threading.Thread:
        assert stream is not None
        thread = threading.Thread(
            target=read_lines, args=(stream, label, self._lines),
            name=f"subject-{self.name}-{label}", daemon=True,
        )  # fmt: skip
        thread.start()
        return thread

    def _join_readers(self) -> None:
        for thread in self._readers:
            thread.join(timeout=_grace())


def hurry_stops() -> None:
    """From now on, give subjects the short grace (the run is being stopped)."""
    _hurried.set()


def newest() -> int:
    """A number below that of every subject started from now on (see `stop_all`)."""
    return next(_numbers)


def stop_all(newer_than: int = 0) -> int:
    """Stop every subject this process started (after `newest` gave ``newer_than``) that
    still runs; how many there were."""
    running = [p for p in _LIVE if p.number > newer_than]
    for process in running:
        process.stop()
    return len(running)


def live_pids() -> set[int]:
    """The process ids of the subjects this process runs."""
    return {p.pid for p in _LIVE}


def _grace() -> float:
    return HURRIED_GRACE_S if _hurried.is_set() else STOP_GRACE_S


def _watch_orphans() -> None:
    """Once per process: adopt what subjects orphan, and stop every subject at exit."""
    if not _watching.is_set():
        _watching.set()
        atexit.register(stop_all)
        reaper.become_subreaper()
