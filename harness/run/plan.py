"""What a run is made of: the plan, its jobs (a target and cells each), what they send back.

A job is a subject (or the samples) and the cells of its mechanism, split further when there
are more workers than subjects; each job builds its own target, so each subject runs with a
fresh issuer behind it. `Gathered` collects what the jobs report, in this process or from
worker processes (``workers.py``).
"""

from __future__ import annotations

import concurrent.futures as futures
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from harness.checks import ALL_CHECKS, Check
from harness.model.matrix import Cell, cells
from harness.model.results import CheckResult, ObservationResult
from harness.observations import ALL_OBSERVATIONS, Observation
from harness.run.cases import MatrixCase, matrix_cases
from harness.run.execute import execute
from harness.run.lanes import LANES, run_side_by_side
from harness.subjects.file import Subject
from harness.targets.base import Target
from harness.targets.spec import TargetSpec

CellDone = Callable[[Cell, list[CheckResult]], None]


@dataclass
class Gathered:
    """What the run's jobs sent back."""

    issuers: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)
    results: list[CheckResult] = field(default_factory=list)
    observed: list[ObservationResult] = field(default_factory=list)
    start_failures: dict[str, str] = field(default_factory=dict)  # subject: its first cause

    def ready(self, issuer: str, notes: tuple[str, ...], warnings: tuple[str, ...]) -> None:
        """A job's target started."""
        self.issuers.append(issuer)
        self.notes = tuple(dict.fromkeys(self.notes + notes))
        self.warnings = tuple(dict.fromkeys(self.warnings + warnings))

    def failed(self, reason: str, subject: str = "", cause: str = "") -> None:
        """A job stopped: its reason is a problem of the run; a subject's target that did not
        start keeps its cause, for the subject's row when none of its jobs started."""
        self.problems.append(reason)
        if subject and cause:
            self.start_failures.setdefault(subject, cause)

    def not_started(self, planned: tuple[Subject, ...]) -> dict[str, str]:
        """The planned subjects with no result at all that failed to start, with the cause."""
        ran = {r.subject for r in self.results}
        return {
            s.name: self.start_failures[s.name]
            for s in planned
            if s.name in self.start_failures and s.name not in ran
        }


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


def run_cells(
    target: Target, plan: Plan, lanes: int = LANES
) -> Iterator[tuple[Cell, list[CheckResult]]]:
    """Each cell with its results, every check in every variant, in order; the checks of all
    the cells run side by side (``lanes.py``), so the cells come once they all finished."""
    if not plan.cells:
        return
    cases = matrix_cases(target.mode, plan.cells, plan.checks, target.live_format)

    def run_case(case: MatrixCase) -> CheckResult:
        return execute(case.check, target, case.variant, case.order)

    results = run_side_by_side(cases, run_case, target.deaths, lanes)
    for cell in plan.cells:
        yield cell, [r for c, r in zip(cases, results, strict=True) if c.variant.cell == cell]


def side_by_side(plans: Sequence[Plan], run_job: Callable[[Plan], None]) -> None:
    """Run each plan's job on a thread of its own (its target's waits overlap with the other
    jobs'), and return when all are done; a stopped run leaves them to their closing targets."""
    pool = futures.ThreadPoolExecutor(max(1, len(plans)), thread_name_prefix="job")
    try:
        for done in futures.as_completed([pool.submit(run_job, plan) for plan in plans]):
            done.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


class InOrder:
    """Finished cells handed on in the plan's order (jobs run side by side finish in any):
    each waits for those before it; `flush` hands on the rest (a job that never ran)."""

    def __init__(self, todo: Sequence[Job], on_cell: CellDone | None) -> None:
        self._order = [(_name(job), cell.number) for job in todo for cell in job.cells]
        self._on_cell = on_cell
        self._waiting: dict[tuple[str, int], tuple[Cell, list[CheckResult]]] = {}
        self._lock = threading.Lock()

    def __call__(self, cell: Cell, results: list[CheckResult]) -> None:
        subject = results[0].subject if results else ""
        with self._lock:
            self._waiting[(subject, cell.number)] = (cell, results)
            while self._order and self._order[0] in self._waiting:
                self._hand_on(self._waiting.pop(self._order.pop(0)))

    def flush(self) -> None:
        """Hand on every cell still waiting, in the plan's order."""
        with self._lock:
            for key in [k for k in self._order if k in self._waiting]:
                self._hand_on(self._waiting.pop(key))
            self._order.clear()

    def _hand_on(self, finished: tuple[Cell, list[CheckResult]]) -> None:
        if self._on_cell is not None:
            self._on_cell(*finished)


def _name(job: Job) -> str:
    return job.spec.subject.name if job.spec.subject else ""


def start_failure(job: Job, exc: Exception) -> tuple[str, str, str]:
    """What a job whose target did not start reports: the reason, its subject, the cause."""
    subject = job.spec.subject.name if job.spec.subject else ""
    return stopped(job, exc), subject, str(exc) or type(exc).__name__


def stopped(job: Job, exc: Exception) -> str:
    """A job's problem: its subject and cells, and the exception that stopped it."""
    subject = f"subject {job.spec.subject.name}, " if job.spec.subject else ""
    cells = ", ".join(str(c.number) for c in job.cells)
    return f"{subject}cell(s) {cells} could not run: {type(exc).__name__}: {exc}"
