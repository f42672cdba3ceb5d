"""A stop that comes while the run's folder is being made leaves no folder behind.

The workers' temporary folders are inside one the main process makes and removes
(``harness/run/workers.py``). A temporary folder is made in two steps (the directory, then
what removes it); a stop signal between them, or between its making and the block that
removes it, left an empty ``harness-run-`` folder in the user's temporary folder (seen once in
a suite run, a run stopped by Ctrl-C as its workers started). Here the signal comes at that
point every time: the folder's maker sends it to this process after the directory is made (in
a process with other threads, as this one, a blocked signal still reaches the main thread's
handler through another thread: the stop is deferred, not only blocked).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

import pytest

from harness.checks import check_by_id
from harness.model.matrix import cell_by_number
from harness.run import stopping, workers
from harness.run.plan import Gathered, Plan, jobs
from harness.run.stopping import stop_on_signals


class _SignalledWhileMade:
    """A temporary folder whose making is interrupted, by SIGINT, once the directory exists."""

    def __init__(self, prefix: str, ignore_cleanup_errors: bool) -> None:
        self.name = tempfile.mkdtemp(prefix=prefix)
        os.kill(os.getpid(), signal.SIGINT)  # taken at once, unless the caller holds it

    def cleanup(self) -> None:
        shutil.rmtree(self.name, ignore_errors=True)  # as TemporaryDirectory's, its workers' too

    def __enter__(self) -> str:
        return self.name

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


def test_a_stop_while_the_run_folder_is_made_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(stopping, "_signalled", [])  # this process's later runs are not stopped
    monkeypatch.setattr(workers.tempfile, "TemporaryDirectory", _SignalledWhileMade)
    plan = Plan(cells=(cell_by_number(2),), checks=(check_by_id("RFC6750-2.1-valid-token"),))
    idle = threading.Event()
    threading.Thread(target=idle.wait, daemon=True).start()  # a thread the signal may reach
    try:
        with stop_on_signals() as stopped:
            workers.run_in_workers(plan, jobs(plan, 1), 1, None, Gathered())
    finally:
        idle.set()
    assert stopped.signal is signal.SIGINT
    assert list(tmp_path.glob("harness-run-*")) == []
