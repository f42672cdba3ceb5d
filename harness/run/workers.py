"""The run spread over worker processes (``-n N``): each with its own targets, on free ports.

Check functions do not pickle: a worker gets its share as cell numbers and check ids and
rebuilds them from the registries; results travel back over a queue as plain data
(``harness/model/serial.py``). The first worker also records the observations. A worker gone
without a word, or silent for `WORKER_SILENCE_LIMIT` seconds, is taken for dead. A stopped run
(``stopping.py``) stops its workers, keeping the results they still send. Their temporary
folders (keys, ``.env`` files) are in one the main process removes after they ended: a worker
killed for overrunning its stop grace leaves no key behind.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue as queues
import signal
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from typing import Any

from harness.checks import check_by_id
from harness.model.matrix import cell_by_number
from harness.model.results import CheckResult, ObservationResult
from harness.observations import observation_by_id, observe_all
from harness.run.plan import (
    CellDone,
    Gathered,
    Job,
    Plan,
    run_cells,
    side_by_side,
    start_failure,
    stopped,
)
from harness.run.stopping import (
    POLL_S,
    RunStopped,
    deferred,
    end_workers,
    raise_if_stopped,
    signals_held,
    stop_on_signals,
    worker_started,
)
from harness.targets.spec import TargetSpec
from oauthkit.commands import leave

# A worker silent for this long (seconds) is taken for dead.
WORKER_SILENCE_LIMIT = 600


@dataclass(frozen=True)
class _Ready:
    issuer: str
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _CellFinished:
    number: int
    results: list[dict[str, Any]]


@dataclass(frozen=True)
class _Observed:
    results: list[dict[str, Any]]


@dataclass(frozen=True)
class _Failed:
    reason: str
    subject: str = ""  # set, with the cause, when a subject's target did not start
    cause: str = ""


@dataclass(frozen=True)
class _Done:
    worker: int  # its index


_Message = _Ready | _CellFinished | _Observed | _Failed | _Done


def run_in_workers(
    plan: Plan, todo: list[Job], workers: int, on_cell: CellDone | None, gathered: Gathered
) -> None:
    """Run the jobs on worker processes, into ``gathered`` (kept when the run is stopped)."""
    # spawn, not fork (sparing each worker its 0.6 s import): a forked worker ends with os._exit
    # (what a stop interrupted half-built is never finalized) and has this process's handlers.
    context = multiprocessing.get_context("spawn")
    queue: Queue[_Message] = context.Queue()
    shares = _share(plan, todo, workers)
    folder: tempfile.TemporaryDirectory[str] | None = None
    processes: list[BaseProcess] = []
    ended = False
    try:
        with deferred(), signals_held():  # a stop: each worker's once it can, ours in _collect
            folder = tempfile.TemporaryDirectory(prefix="harness-run-", ignore_cleanup_errors=True)
            processes = [
                context.Process(target=_worker, args=(s, queue, folder.name, n), daemon=True)
                for n, s in enumerate(shares)
            ]
            for process in processes:
                process.start()
        _collect(queue, processes, on_cell, gathered)
        ended = True
    finally:
        with folder or contextlib.nullcontext():  # then removes what a killed worker could not
            end_workers(processes, not ended, lambda timeout: _drain(queue, gathered, timeout))


@dataclass(frozen=True)
class _Share:
    """A worker's jobs, by cell number and check id (check functions do not pickle)."""

    jobs: tuple[tuple[TargetSpec, tuple[int, ...]], ...]
    checks: tuple[str, ...]
    observations: tuple[str, ...] = ()

    def plans(self) -> Iterator[Plan]:
        """Each job as a plan, from the registry (so only registered checks run in workers)."""
        checks = tuple(check_by_id(c) for c in self.checks)
        for n, (spec, numbers) in enumerate(self.jobs):
            observations = self.observations if n == 0 else ()
            cells = tuple(cell_by_number(c) for c in numbers)
            yield Plan(spec, cells, checks, tuple(observation_by_id(o) for o in observations))


def _share(plan: Plan, todo: list[Job], workers: int) -> list[_Share]:
    """Deal the jobs round-robin to at most ``workers`` shares; the first also observes."""
    count = max(1, min(workers, len(todo)))
    checks = tuple(c.id for c in plan.checks)
    observations = tuple(o.id for o in plan.observations)
    dealt = [todo[i::count] for i in range(count)]
    return [
        _Share(
            tuple((job.spec, tuple(c.number for c in job.cells)) for job in mine),
            checks,
            observations if i == 0 else (),
        )
        for i, mine in enumerate(dealt)
    ]


def _worker(share: _Share, queue: Queue[_Message], folder: str, index: int) -> None:
    tempfile.tempdir = folder  # every temporary folder of this worker's targets goes in there
    with stop_on_signals():
        try:
            worker_started()
            side_by_side(list(share.plans()), lambda plan: _run_job(plan, queue))
        except RunStopped as stop:
            queue.put(_Failed(f"a worker was {stop} before it finished"))
        except Exception as exc:  # the share itself is unusable (e.g. an unknown check id)
            queue.put(_Failed(f"a worker could not start: {type(exc).__name__}: {exc}"))
        finally:
            queue.put(_Done(index))
    queue.close()
    queue.join_thread()  # every message is in the pipe before the worker leaves
    leave(0)


def _run_job(plan: Plan, queue: Queue[_Message]) -> None:
    job = Job(plan.spec, plan.cells)
    try:
        target = plan.spec.build()
    except Exception as exc:
        queue.put(_Failed(*start_failure(job, exc)))
        return  # the worker's other jobs may still start
    try:
        queue.put(_Ready(target.issuer, target.notes, target.warnings))
        for cell, results in run_cells(target, plan):
            queue.put(_CellFinished(cell.number, [r.to_dict() for r in results]))
        if plan.observations:
            observed = observe_all(target, plan.observations)
            queue.put(_Observed([o.to_dict() for o in observed]))
    except Exception as exc:
        queue.put(_Failed(stopped(job, exc)))
    finally:
        target.close()


def _collect(
    queue: Queue[_Message], processes: Sequence[BaseProcess], on_cell: CellDone | None,
    gathered: Gathered,
) -> None:  # fmt: skip
    done: set[int] = set()
    dead: set[int] = set()  # workers seen gone without a word: buried at the next silence
    heard = time.monotonic()
    with deferred():  # a stop signal is taken between two messages, never inside one
        while len(done) < len(processes):
            raise_if_stopped()
            try:
                message = queue.get(timeout=POLL_S)
            except queues.Empty:
                if time.monotonic() - heard > WORKER_SILENCE_LIMIT:
                    raise
                dead = _bury(processes, done, dead, gathered)
                continue
            heard = time.monotonic()
            if isinstance(message, _Done):
                done.add(message.worker)
            else:
                _take(message, gathered, on_cell)


def _bury(
    processes: Sequence[BaseProcess], done: set[int], dead: set[int], gathered: Gathered
) -> set[int]:
    """Workers gone without saying they were done (killed: the OOM killer, a kill -9) count as
    done, with a problem saying how they ended, at the second silence after they were seen gone
    (all they sent has been read by then): the run does not wait `WORKER_SILENCE_LIMIT`."""
    gone = {n for n, p in enumerate(processes) if n not in done and p.exitcode is not None}
    for n in gone & dead:
        done.add(n)
        code = processes[n].exitcode or 0
        how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited {code}"
        gathered.failed(f"a worker {how} before it finished: what it had not sent is missing")
    return gone - dead


def _drain(queue: Queue[_Message], gathered: Gathered, timeout: float) -> None:
    """The messages of stopped workers: their last results (their reasons are the run's)."""
    try:
        message = queue.get(timeout=timeout)
    except Exception:  # nothing more to read: empty, closed, or cut short by the stop
        return
    if not isinstance(message, _Failed):
        _take(message, gathered, None)


def _take(message: _Message, gathered: Gathered, on_cell: CellDone | None) -> None:
    """Add one message to ``gathered`` (a worker's end says nothing to it)."""
    if isinstance(message, _Failed):
        gathered.failed(message.reason, message.subject, message.cause)
    elif isinstance(message, _Ready):
        gathered.ready(message.issuer, message.notes, message.warnings)
    elif isinstance(message, _CellFinished):
        found = [CheckResult.from_dict(d) for d in message.results]
        gathered.results += found
        if on_cell is not None:
            on_cell(cell_by_number(message.number), found)
    elif isinstance(message, _Observed):
        gathered.observed += [ObservationResult.from_dict(d) for d in message.results]
