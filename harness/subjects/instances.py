"""A subject's running instances: one pointed at the issuer, a twin whose issuer is down.

Both are started on first use and kept for the run. The twin's issuer is a tiny stand-in that
serves the real issuer's discovery document (OpenID Connect Discovery 1.0 §4) with every
endpoint moved to a closed loopback port: the subject starts as usual (SDKs that read
discovery at startup included) and then finds the issuer unreachable (RFC 9110 §15.6.4). A
subject that failed to start fails the same way at every later use, without a new attempt.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from harness.logcapture import CapturedRecord, LogMark, window_records
from harness.model.kept import Window
from harness.subjects.file import Subject
from harness.subjects.output import OutputLine
from harness.subjects.placeholders import expand
from harness.subjects.process import Launch, SubjectProcess, SubjectStartError
from mock_issuer import BackgroundServer

DISCOVERY_PATH = "/.well-known/openid-configuration"
# A subject that keeps dying is not restarted for ever.
MAX_RESTARTS = 10
# How long a subject that dropped a connection gets to finish dying, so its death is
# reported with the check that caused it.
DYING_S = 1.0
Values = Callable[[bool], Mapping[str, str]]


def free_port() -> int:
    """A loopback port that was free a moment ago (a subject binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def closed_port_url() -> str:
    """A loopback URL where nothing listens: the port was free a moment ago and is closed."""
    return f"http://127.0.0.1:{free_port()}"


def stop_together(stops: Iterable[Callable[[], None]]) -> None:
    """Call each stop at once, each on a thread of its own (each waits out its own grace),
    until all are done; the first error is raised then. A stopped run closes its targets
    while its worker's interpreter shuts down, where no executor takes new work: a stop whose
    thread cannot start is called here."""
    errors: list[BaseException] = []

    def run(stop: Callable[[], None]) -> None:
        try:
            stop()
        except BaseException as exc:  # raised below, in the caller's thread
            errors.append(exc)

    threads = []
    for stop in stops:
        thread = threading.Thread(target=run, args=(stop,), name="stop", daemon=True)
        try:
            thread.start()
        except RuntimeError:
            run(stop)
        else:
            threads.append(thread)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


class SubjectInstances:
    """The subject's main instance and its issuer-down twin, started on demand."""

    def __init__(
        self,
        subject: Subject,
        values: Values,
        redact: Callable[[str], str],
        launch: Launch | None = None,
    ) -> None:
        self.subject = subject
        self._launch = launch  # how its instances start (``preload.py``), if not as usual
        self._values = values
        self._redact = redact
        self._running: dict[bool, tuple[SubjectProcess, str]] = {}
        self._failed: dict[bool, SubjectStartError] = {}
        self._stopped: list[SubjectProcess] = []
        self.restarts = 0
        # Checks run side by side: one of them starts (or buries) an instance, the others
        # wait for it; the main instance and the twin start apart.
        self._locks = {False: threading.RLock(), True: threading.RLock()}

    def url(self, down: bool = False) -> str:
        """Base URL of the instance (``down``: the twin), starting it if needed."""
        with self._locks[down]:
            return self._url(down)

    def _url(self, down: bool) -> str:
        if down in self._failed:
            raise self._failed[down]
        if down not in self._running:
            try:
                self._running[down] = self._start(down)
            except SubjectStartError as exc:
                self._failed[down] = exc
                raise
        process, url = self._running[down]
        if process.exit_code is not None:
            self._bury(down)
            if self.restarts > MAX_RESTARTS:
                self._failed[down] = SubjectStartError(
                    f"subject {self.subject.name} died {self.restarts} times (last exit status "
                    f"{process.exit_code}); its last output lines:\n"
                    f"{process.last_lines(self._redact)}"
                )
                raise self._failed[down]
            return self._url(down)
        return url

    def death(self, dropped: bool) -> str:
        """A note when an instance died since it was last asked ('' when all run).

        ``dropped``: the last request got no answer, so the instance may be dying; it gets a
        moment to finish. A dead instance is started afresh at its next use.
        """
        for down, (process, _) in list(self._running.items()):
            status = process.wait_exit(DYING_S) if dropped else process.exit_code
            with self._locks[down]:
                if status is None or self._running.get(down, (None,))[0] is not process:
                    continue  # running, or buried by a check beside this one
                self._bury(down)
                return (
                    f"The subject died during this check (exit status {status}); it is started "
                    f"afresh for the next one. Its last output lines:\n"
                    f"{process.last_lines(self._redact)}"
                )
        return ""

    def _bury(self, down: bool) -> None:
        process, _ = self._running.pop(down)
        process.stop()
        self._stopped.append(process)
        self.restarts += 1

    def records(self, mark: LogMark | None = None) -> list[CapturedRecord]:
        """Every line any instance printed (after ``mark``), as log records (origin: the
        subject's name), bounded (a `GAP` record stands for lines not kept)."""
        mark = mark or {}
        found: list[CapturedRecord] = []
        for process in self._processes():
            window = process.lines(mark.get(id(process), 0))
            as_records = Window(
                [self._record(line) for line in window.head],
                [self._record(line) for line in window.tail],
                window.gap_items,
                window.gap_size,
            )
            found += window_records(as_records, self.label)
        return found

    def _record(self, line: OutputLine) -> CapturedRecord:
        return CapturedRecord(self.subject.name, line.stream, self.label, line.text, line.left_out)

    def mark(self) -> LogMark:
        """How many lines each instance has printed so far."""
        return {id(process): process.line_count() for process in self._processes()}

    def _processes(self) -> list[SubjectProcess]:
        return [p for p, _ in list(self._running.values())] + list(self._stopped)

    @property
    def label(self) -> str:
        """The origin of the subject's log records."""
        return f"subject:{self.subject.name}"

    def stop(self) -> None:
        """Stop every instance (their output stays readable)."""
        with self._locks[False], self._locks[True]:
            running, self._running = list(self._running.values()), {}
            self._stopped += [process for process, _ in running]
        stop_together(process.stop for process, _ in running)

    def _start(self, down: bool) -> tuple[SubjectProcess, str]:
        values = self._values(down)
        subject = self.subject
        command = [expand(part, values) for part in subject.command]
        env = {name: expand(value, values) for name, value in subject.env.items()}
        label = f"{subject.name}-issuer-down" if down else subject.name
        process = SubjectProcess(label, command, env, subject.cwd, launch=self._launch)
        url = f"http://127.0.0.1:{values['port']}"
        try:
            process.wait_ready(url + subject.ready, subject.startup_timeout, self._redact)
        except SubjectStartError:
            self._stopped.append(process)
            raise
        return process, url


class DownIssuer:
    """A discovery-only stand-in for the issuer: every endpoint it names is a closed port."""

    def __init__(self, metadata: Mapping[str, Any], issuer: str) -> None:
        self._metadata = dict(metadata)
        self._issuer = issuer.rstrip("/")
        self._closed = closed_port_url()
        self._server = BackgroundServer(
            Starlette(routes=[Route(DISCOVERY_PATH, self._discovery)])
        ).start()

    @property
    def url(self) -> str:
        """The stand-in's issuer URL."""
        return self._server.url

    def moved(self, url: str) -> str:
        """An endpoint URL of the real issuer, moved to the closed port."""
        return self._closed + url[len(self._issuer) :] if url.startswith(self._issuer) else url

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()

    async def _discovery(self, request: Request) -> JSONResponse:
        document: dict[str, Any] = {
            name: self.moved(value) if isinstance(value, str) else value
            for name, value in self._metadata.items()
        }
        document["issuer"] = self.url
        return JSONResponse(document)
