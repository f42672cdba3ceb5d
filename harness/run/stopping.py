"""How a run ends when it is told to stop: SIGTERM, SIGINT (Ctrl-C) or SIGHUP.

The runner and the command line call this module; nothing else handles signals. Inside
`stop_on_signals` the first of those signals raises `RunStopped` in the main thread, which
unwinds the run as `KeyboardInterrupt` would, through every ``finally``: targets are closed
(subjects stopped, their temporary folders with keys and ``.env`` files removed) and the
results gathered so far are kept. Later signals are ignored while the run winds down, which
takes seconds: from the first signal on, subjects get a short grace (`hurry_stops`). Work worth
finishing (the report) runs `Stopping.deferred`: a signal then waits for its end. Leaving the
block stops every subject started in it and kills what this process adopted meanwhile as a
subreaper (``harness/subjects/reaper.py``). Worker processes are born with the stop signals
held (`signals_held`), take them once their handlers are in place (`worker_started`) and stop
when their main process is gone; `end_workers` ends them: SIGTERM, a bounded wait, SIGKILL.
In pytest, `sigterm_interrupts` makes SIGTERM a Ctrl-C.
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
# Workers ending are looked at this often: the run ends when they have exited.
EXIT_POLL_S = 0.01


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
            _signalled.append(self.signal)
            hurry_stops()
            if not self._deferred:
                raise RunStopped(signum)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Within the block a stop signal is noted (`signal`) but raises nothing: for work
        worth finishing (the report, the cleanup) or not to be cut in the middle (reading a
        worker's message; `raise_if_stopped` between two)."""
        was, self._deferred = self._deferred, True
        try:
            yield
        finally:
            self._deferred = was


_active: list[Stopping] = []
# The stop signal this process took, for the threads beside the main one (checks side by side).
_signalled: list[signal.Signals] = []


def raise_in_thread() -> None:
    """`RunStopped` in any thread once this process took a stop signal: a job's thread stops
    starting checks (the main thread has unwound; its targets close as the job's thread ends)."""
    if _signalled:
        raise RunStopped(_signalled[0])


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """`Stopping.deferred` of the active `stop_on_signals` block (none: nothing to defer)."""
    with _active[-1].deferred() if _active else contextlib.nullcontext():
        yield


def raise_if_stopped() -> None:
    """`RunStopped` if a stop signal came (while deferred): the place to take it."""
    if _active and _active[-1].signal is not None:
        raise RunStopped(_active[-1].signal)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[Stopping]:
    """Within the block, a stop signal raises `RunStopped` (caught here); at its end every
    subject and adopted process of this process is ended, and the handlers are restored."""
    stopping = Stopping()
    if threading.current_thread() is not threading.main_thread():
        yield stopping  # signals reach the main thread only; its owner handles them
        return
    reaper.become_subreaper()
    _signalled.clear()
    before = (newest(), reaper.children())
    previous = {s: signal.signal(s, stopping.handle) for s in SIGNALS}
    _active.append(stopping)
    try:
        yield stopping
    except RunStopped:
        pass
    finally:
        _active.remove(stopping)
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


def _stop_when_parent_ends() -> None:
    """Stop (SIGTERM to itself) when the main process is gone, even killed: no worker
    outlives its run."""
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
def signals_held() -> Iterator[None]:
    """Stop signals held (blocked, not lost) while the block starts worker processes: they are
    born holding them and take them once they can (`worker_started`); this process takes one
    that came meanwhile at the end of the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def worker_started() -> None:
    """In a worker, inside `stop_on_signals`: take the stop signals held since its birth (one
    that came meanwhile stops it now), and stop when the main process is gone."""
    _stop_when_parent_ends()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


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
            if process.pid is not None:  # started
                process.join(timeout=WORKER_STOP_S)


def _wait_for(
    processes: Sequence[BaseProcess], stopped: bool, drain: Callable[[float], None]
) -> None:
    if stopped:
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AttributeError):  # AttributeError: unborn
                process.terminate()
    deadline = time.monotonic() + (WORKER_STOP_S if stopped else WORKER_EXIT_S)
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        drain(EXIT_POLL_S)
