"""Running the matrix in plain Python: every applicable check, in every variant of every cell.

``run_matrix`` runs cells in one process or spreads them over N worker processes, each with
its own target (its own issuer and APIs on free ports), and reports each cell as it
completes. With subjects, the work is cut into *jobs*: a subject and the cells of its
mechanism (split further when there are more workers than subjects); each job has its own
target, so each subject runs with a fresh issuer behind it.
The first worker also records the issuer-behaviour observations (RFC 7662 and
RFC 6749 answers), once per run. The verdict follows RFC 2119: the run passes when every
MUST check passed and nothing was left out; observations never change it. A job whose target
cannot start, or that stops midway, leaves the run INCOMPLETE (its reason in
``RunInfo.problems``); when no job can start, the run could not start at all and
`RunNotStarted` is raised.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.queues import Queue
from typing import Any

from harness.checks import ALL_CHECKS, Check, check_by_id
from harness.model.matrix import Cell, cell_by_number, cells
from harness.model.results import CheckResult, ObservationResult, RunInfo, RunResult, unique
from harness.model.runinfo import now_iso, versions
from harness.observations import ALL_OBSERVATIONS, Observation, observation_by_id, observe_all
from harness.run.cases import matrix_cases
from harness.run.execute import execute
from harness.subjects.file import Subject
from harness.targets.base import Target
from harness.targets.spec import TargetSpec

CellDone = Callable[[Cell, list[CheckResult]], None]
# A worker silent for this long (seconds) is taken for dead.
WORKER_SILENCE_LIMIT = 600


class RunNotStarted(RuntimeError):
    """No part of the run could start its target (the message says why)."""


@dataclass
class _Gathered:
    """What the run's jobs sent back."""

    issuers: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)
    results: list[CheckResult] = field(default_factory=list)
    observed: list[ObservationResult] = field(default_factory=list)

    def ready(self, issuer: str, notes: tuple[str, ...], warnings: tuple[str, ...]) -> None:
        """A job's target started."""
        self.issuers.append(issuer)
        self.notes = tuple(dict.fromkeys(self.notes + notes))
        self.warnings = tuple(dict.fromkeys(self.warnings + warnings))


@dataclass(frozen=True)
class Plan:
    """What to run: the target, the cells, the checks and the observations."""

    spec: TargetSpec = field(default_factory=TargetSpec)
    cells: tuple[Cell, ...] = field(default_factory=cells)
    checks: tuple[Check, ...] = ALL_CHECKS
    observations: tuple[Observation, ...] = ALL_OBSERVATIONS
    subjects: tuple[Subject, ...] = ()


@dataclass(frozen=True)
class Job:
    """Cells to run against one target: the spec's (with its subject, if any)."""

    spec: TargetSpec
    cells: tuple[Cell, ...]


def jobs(plan: Plan, workers: int = 1) -> list[Job]:
    """The plan cut into jobs: per subject, the chosen cells of its mechanism."""
    if not plan.subjects:
        return _split(Job(plan.spec, plan.cells), max(1, workers))
    found: list[Job] = []
    pieces = max(1, workers // len(plan.subjects))
    for subject in plan.subjects:
        own = tuple(c for c in plan.cells if c.mechanism is subject.mechanism)
        if own:
            found += _split(Job(replace(plan.spec, subject=subject), own), pieces)
    return found


def _split(job: Job, pieces: int) -> list[Job]:
    count = max(1, min(pieces, len(job.cells)))
    return [Job(job.spec, job.cells[i::count]) for i in range(count)]


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
    if workers <= 1:
        gathered = _run_here(plan, jobs(plan), on_cell)
    else:
        gathered = _run_in_workers(plan, jobs(plan, workers), workers, on_cell)
    if not gathered.issuers:
        raise RunNotStarted("; ".join(dict.fromkeys(gathered.problems)) or "nothing to run")
    info = RunInfo(
        mode=str(plan.spec.mode),
        issuer=", ".join(dict.fromkeys(gathered.issuers)),
        started_at=started,
        duration_s=round(time.perf_counter() - clock, 2),
        command=command,
        versions=versions(),
        notes=gathered.notes,
        warnings=gathered.warnings,
        problems=tuple(gathered.problems),
    )
    observed = tuple(sorted(gathered.observed, key=lambda o: o.order))
    return RunResult(info, unique(gathered.results), observed)


def _run_here(plan: Plan, todo: list[Job], on_cell: CellDone | None) -> _Gathered:
    gathered = _Gathered()
    for job in todo:
        try:
            target = job.spec.build()
        except Exception as exc:
            gathered.problems.append(_stopped(job, exc))
            continue
        try:
            gathered.ready(target.issuer, target.notes, target.warnings)
            for cell, found in run_cells(target, replace(plan, cells=job.cells)):
                gathered.results += found
                if on_cell is not None:
                    on_cell(cell, found)
            if not gathered.observed:
                gathered.observed = observe_all(target, plan.observations)
        finally:
            target.close()
    return gathered


def _stopped(job: Job, exc: Exception) -> str:
    subject = f"subject {job.spec.subject.name}, " if job.spec.subject else ""
    cells = ", ".join(str(c.number) for c in job.cells)
    return f"{subject}cell(s) {cells} could not run: {type(exc).__name__}: {exc}"


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


def _run_in_workers(
    plan: Plan, todo: list[Job], workers: int, on_cell: CellDone | None
) -> _Gathered:
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
        queue.put(_Failed(_stopped(job, exc)))
        return  # the worker's other jobs may still start
    try:
        queue.put(_Ready(target.issuer, target.notes, target.warnings))
        for cell, results in run_cells(target, plan):
            queue.put(_CellFinished(cell.number, [r.to_dict() for r in results]))
        if plan.observations:
            observed = observe_all(target, plan.observations)
            queue.put(_Observed([o.to_dict() for o in observed]))
    except Exception as exc:
        queue.put(_Failed(_stopped(job, exc)))
    finally:
        target.close()


def _collect(queue: Queue[_Message], workers: int, on_cell: CellDone | None) -> _Gathered:
    gathered = _Gathered()
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
