"""Running the matrix in plain Python: every applicable check, in every variant of every cell.

``run_matrix`` runs cells in one process or spreads them over N worker processes, each with
its own target (its own issuer and APIs on free ports), and reports each cell as it
completes. The first worker also records the issuer-behaviour observations (RFC 7662 and
RFC 6749 answers), once per run. The verdict follows RFC 2119: the run passes when every
MUST check passed; observations never change it.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from typing import Any

from harness.cases import matrix_cases
from harness.checks import ALL_CHECKS, Check, check_by_id
from harness.execute import execute
from harness.matrix import Cell, cell_by_number, cells
from harness.observations import ALL_OBSERVATIONS, Observation, observation_by_id, observe_all
from harness.results import CheckResult, ObservationResult, RunInfo, RunResult, unique
from harness.runinfo import now_iso, versions
from harness.targets.base import Target
from harness.targets.spec import TargetSpec

CellDone = Callable[[Cell, list[CheckResult]], None]
# The issuer URL(s), the target's notes, every result, the observations.
_Gathered = tuple[str, tuple[str, ...], list[CheckResult], list[ObservationResult]]
# A worker silent for this long (seconds) is taken for dead.
WORKER_SILENCE_LIMIT = 600


@dataclass(frozen=True)
class Plan:
    """What to run: the target, the cells, the checks and the observations."""

    spec: TargetSpec = field(default_factory=TargetSpec)
    cells: tuple[Cell, ...] = field(default_factory=cells)
    checks: tuple[Check, ...] = ALL_CHECKS
    observations: tuple[Observation, ...] = ALL_OBSERVATIONS


def run_cells(target: Target, plan: Plan) -> Iterator[tuple[Cell, list[CheckResult]]]:
    """Each cell with its results, every check in every variant, in order."""
    for cell in plan.cells:
        cases = matrix_cases(target.mode, (cell,), plan.checks, target.live_format)
        yield cell, [execute(c.check, target, c.variant, c.order) for c in cases]


def run_matrix(
    plan: Plan, workers: int = 1, on_cell: CellDone | None = None, command: str = ""
) -> RunResult:
    """Run the plan on ``workers`` processes (1: in this process) and gather one result."""
    started, clock = now_iso(), time.perf_counter()
    if workers <= 1 or len(plan.cells) <= 1:
        issuer, notes, results, observed = _run_here(plan, on_cell)
    else:
        issuer, notes, results, observed = _run_in_workers(plan, workers, on_cell)
    info = RunInfo(
        mode=str(plan.spec.mode),
        issuer=issuer,
        started_at=started,
        duration_s=round(time.perf_counter() - clock, 2),
        command=command,
        versions=versions(),
        notes=notes,
    )
    return RunResult(info, unique(results), tuple(sorted(observed, key=lambda o: o.order)))


def _run_here(plan: Plan, on_cell: CellDone | None) -> _Gathered:
    target = plan.spec.build()
    try:
        results: list[CheckResult] = []
        for cell, found in run_cells(target, plan):
            results += found
            if on_cell is not None:
                on_cell(cell, found)
        return target.issuer, target.notes, results, observe_all(target, plan.observations)
    finally:
        target.close()


@dataclass(frozen=True)
class _Ready:
    issuer: str
    notes: tuple[str, ...]


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


def _run_in_workers(plan: Plan, workers: int, on_cell: CellDone | None) -> _Gathered:
    context = multiprocessing.get_context("spawn")
    queue: Queue[_Message] = context.Queue()
    shares = _share(plan, workers)
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
    """A worker's part of a plan, by cell number and check id (check functions do not pickle)."""

    spec: TargetSpec
    cells: tuple[int, ...]
    checks: tuple[str, ...]
    observations: tuple[str, ...] = ()

    def plan(self) -> Plan:
        """The plan again, from the registry (so only registered checks run in workers)."""
        return Plan(
            self.spec,
            tuple(cell_by_number(n) for n in self.cells),
            tuple(check_by_id(c) for c in self.checks),
            tuple(observation_by_id(o) for o in self.observations),
        )


def _share(plan: Plan, workers: int) -> list[_Share]:
    """Split the cells round-robin over at most ``workers`` shares; the first also observes."""
    count = min(workers, len(plan.cells))
    checks = tuple(c.id for c in plan.checks)
    observations = tuple(o.id for o in plan.observations)
    groups = [plan.cells[i::count] for i in range(count)]
    return [
        _Share(plan.spec, tuple(c.number for c in group), checks, observations if i == 0 else ())
        for i, group in enumerate(groups)
    ]


def _worker(share: _Share, queue: Queue[_Message]) -> None:
    plan = share.plan()
    try:
        target = plan.spec.build()
    except Exception as exc:
        queue.put(_Failed(f"{type(exc).__name__}: {exc}"))
        return
    try:
        queue.put(_Ready(target.issuer, target.notes))
        for cell, results in run_cells(target, plan):
            queue.put(_CellFinished(cell.number, [r.to_dict() for r in results]))
        observed = observe_all(target, plan.observations)
        queue.put(_Observed([o.to_dict() for o in observed]))
    finally:
        target.close()
        queue.put(_Done())


def _collect(queue: Queue[_Message], workers: int, on_cell: CellDone | None) -> _Gathered:
    issuers: list[str] = []
    notes: tuple[str, ...] = ()
    results: list[CheckResult] = []
    observed: list[ObservationResult] = []
    finished = 0
    while finished < workers:
        message = queue.get(timeout=WORKER_SILENCE_LIMIT)
        if isinstance(message, _Failed):
            raise RuntimeError(f"A worker could not start its target: {message.reason}")
        if isinstance(message, _Ready):
            issuers.append(message.issuer)
            notes = message.notes
        elif isinstance(message, _CellFinished):
            found = [CheckResult.from_dict(d) for d in message.results]
            results += found
            if on_cell is not None:
                on_cell(cell_by_number(message.number), found)
        elif isinstance(message, _Observed):
            observed += [ObservationResult.from_dict(d) for d in message.results]
        else:
            finished += 1
    return ", ".join(dict.fromkeys(issuers)), notes, results, observed
