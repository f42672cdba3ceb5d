"""How a run ends when it is told to stop: SIGTERM, SIGINT (Ctrl-C) or SIGHUP.

Inside `stop_on_signals` the first of those signals raises `RunStopped` in the main thread,
which unwinds the run as `KeyboardInterrupt` would, through every ``finally``: targets are
closed (subjects stopped, their temporary folders with keys and ``.env`` files removed) and
the results gathered so far are kept. Later signals are noted and ignored while the run winds
down, which takes seconds: from the first signal on, subjects get a short grace
(`hurry_stops`). On leaving the block, every subject this process still runs and every
process it adopted as a subreaper (``harness/subjects/reaper.py``) is killed. Worker processes
start with SIGINT ignored (a Ctrl-C reaches the whole group; the main process decides) and
install the same handlers once they run; `end_workers` stops them: SIGTERM, a bounded wait,
SIGKILL.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.process import BaseProcess
from types import FrameType

from harness.subjects import reaper
from harness.subjects.process import hurry_stops, live_pids, newest, stop_all

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# Workers told to stop get this long (seconds) to close their targets before SIGKILL.
WORKER_STOP_S = 3.0
# Workers that finished normally get this long to exit.
WORKER_EXIT_S = 30.0
POLL_S = 0.1


class RunStopped(BaseException):
    """The run was told to stop by a signal; unwinds like `KeyboardInterrupt`."""

    def __init__(self, signum: int) -> None:
        self.signal = signal.Signals(signum)
        super().__init__(f"stopped by {self.signal.name}")


class Stopping:
    """This process's stop signal, if one came (`signal`), and what a stopped run is told."""

    def __init__(self) -> None:
        self.signal: signal.Signals | None = None
        self._deferred = False

    def __str__(self) -> str:
        return f"stopped by {self.signal.name}" if self.signal else "not stopped"

    @property
    def exit_status(self) -> int:
        """128 + the signal's number, as a shell reports a command a signal ended."""
        return 128 + int(self.signal) if self.signal else 0

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """The handler: the first signal stops the run, later ones are ignored."""
        if self.signal is None:
            self.signal = signal.Signals(signum)
            hurry_stops()
            if not self._deferred:
                raise RunStopped(signum)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Within the block a stop signal is noted (`signal`) but raises nothing: for work
        that ends soon anyway and is worth finishing (the report, the cleanup)."""
        self._deferred = True
        try:
            yield
        finally:
            self._deferred = False


@contextlib.contextmanager
def stop_on_signals() -> Iterator[Stopping]:
    """Within the block, a stop signal raises `RunStopped` (caught here); at its end every
    subject and adopted process of this process is ended, and the handlers are restored."""
    stopping = Stopping()
    if threading.current_thread() is not threading.main_thread():
        yield stopping  # signals reach the main thread only; its owner handles them
        return
    reaper.become_subreaper()
    before = (newest(), reaper.children())
    previous = {s: signal.signal(s, stopping.handle) for s in SIGNALS}
    try:
        yield stopping
    except RunStopped:
        pass
    finally:
        with stopping.deferred():
            end_subjects(*before)
            for sig, handler in previous.items():
                signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def sigterm_interrupts() -> Callable[[], None]:
    """SIGTERM raises `KeyboardInterrupt` in the main thread, as Ctrl-C does, so a pytest
    session tears its fixtures down (their subjects stopped) instead of dying; returns what
    restores the previous handler. Nothing changes where SIGTERM is already handled."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return lambda: None

    def interrupt(signum: int, frame: FrameType | None) -> None:
        hurry_stops()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one interruption; teardown runs
        raise KeyboardInterrupt

    def restore() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    signal.signal(signal.SIGTERM, interrupt)
    return restore


def stop_when_parent_ends() -> None:
    """In a worker process: stop (SIGTERM to itself) when the main process is gone, even
    killed, so no worker outlives its run."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def end_subjects(newer_than: int, older_children: set[int]) -> None:
    """Stop the subjects started since `newest` gave ``newer_than`` that still run, and kill
    the processes this one adopted since (children in other sessions, and theirs), leaving
    alone what it had before and the subjects it keeps (when the caller is a test)."""
    stop_all(newer_than)
    reaper.kill_all(lambda: reaper.strays(live_pids() | older_children))


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while the block starts worker processes: they inherit that, so a
    Ctrl-C before they install their own handlers does not print their tracebacks."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def end_workers(
    processes: Sequence[BaseProcess], stopped: bool, drain: Callable[[float], None]
) -> None:
    """End the workers: when ``stopped``, SIGTERM and `WORKER_STOP_S` to finish, else
    `WORKER_EXIT_S` to exit; then SIGKILL. ``drain(timeout)`` reads their last messages
    meanwhile (a worker cannot exit while its queue is full)."""
    try:
        _wait_for(processes, stopped, drain)
    except RunStopped:  # told to stop while waiting for a normal end: stop them now
        _wait_for(processes, True, drain)
        raise
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join(timeout=WORKER_STOP_S)


def _wait_for(
    processes: Sequence[BaseProcess], stopped: bool, drain: Callable[[float], None]
) -> None:
    if stopped:
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.terminate()
    deadline = time.monotonic() + (WORKER_STOP_S if stopped else WORKER_EXIT_S)
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        drain(POLL_S)
