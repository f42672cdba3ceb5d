"""The run spread over worker processes (``-n N``): each with its own targets, on free ports.

Check functions do not pickle: a worker gets its share as cell numbers and check ids and
rebuilds them from the registries; results travel back over a queue as plain data
(``harness/model/serial.py``). The first worker also records the observations. A worker
silent for `WORKER_SILENCE_LIMIT` seconds is taken for dead.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.queues import Queue
from typing import Any

from harness.checks import check_by_id
from harness.model.matrix import cell_by_number
from harness.model.results import CheckResult, ObservationResult
from harness.observations import observation_by_id, observe_all
from harness.run.plan import CellDone, Gathered, Job, Plan, run_cells, stopped
from harness.targets.spec import TargetSpec

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


@dataclass(frozen=True)
class _Done:
    pass


_Message = _Ready | _CellFinished | _Observed | _Failed | _Done


def run_in_workers(plan: Plan, todo: list[Job], workers: int, on_cell: CellDone | None) -> Gathered:
    context = multiprocessing.get_context("spawn")
    queue: Queue[_Message] = context.Queue()
    shares = _share(plan, todo, workers)
    processes = [context.Process(target=_worker, args=(s, queue), daemon=True) for s in shares]
    for process in processes:
        process.start()
    try:
        return _collect(queue, len(processes), on_cell)
    finally:
        for process in processes:
            process.join(timeout=30)


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


def _worker(share: _Share, queue: Queue[_Message]) -> None:
    try:
        for plan in share.plans():
            _run_job(plan, queue)
    except Exception as exc:  # the share itself is unusable (e.g. an unknown check id)
        queue.put(_Failed(f"a worker could not start: {type(exc).__name__}: {exc}"))
    finally:
        queue.put(_Done())


def _run_job(plan: Plan, queue: Queue[_Message]) -> None:
    job = Job(plan.spec, plan.cells)
    try:
        target = plan.spec.build()
    except Exception as exc:
        queue.put(_Failed(stopped(job, exc)))
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


def _collect(queue: Queue[_Message], workers: int, on_cell: CellDone | None) -> Gathered:
    gathered = Gathered()
    finished = 0
    while finished < workers:
        message = queue.get(timeout=WORKER_SILENCE_LIMIT)
        if isinstance(message, _Failed):
            gathered.problems.append(message.reason)
        elif isinstance(message, _Ready):
            gathered.ready(message.issuer, message.notes, message.warnings)
        elif isinstance(message, _CellFinished):
            found = [CheckResult.from_dict(d) for d in message.results]
            gathered.results += found
            if on_cell is not None:
                on_cell(cell_by_number(message.number), found)
        elif isinstance(message, _Observed):
            gathered.observed += [ObservationResult.from_dict(d) for d in message.results]
        else:
            finished += 1
    return gathered
