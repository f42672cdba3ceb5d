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
`RunNotStarted` is raised. A run stopped by a signal (``stopping.py``) returns what it
gathered, INCOMPLETE, with the stop as a problem (`RunStopped` when nothing had started).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from harness.model.results import RunInfo, RunResult, unique
from harness.model.runinfo import now_iso, versions
from harness.observations import observe_all
from harness.run.plan import (
    CellDone,
    Gathered,
    InOrder,
    Job,
    Plan,
    jobs,
    run_cells,
    side_by_side,
    start_failure,
)
from harness.run.stopping import RunStopped
from harness.run.workers import run_in_workers
from harness.targets.base import Target

__all__ = ["CellDone", "Job", "Plan", "RunNotStarted", "jobs", "run_cells", "run_matrix"]


class RunNotStarted(RuntimeError):
    """No part of the run could start its target (the message says why). When subjects were
    planned, ``run`` is what a report can still show: each subject's could-not-start row."""

    def __init__(self, message: str, run: RunResult | None = None) -> None:
        super().__init__(message)
        self.run = run


def run_matrix(
    plan: Plan, workers: int = 1, on_cell: CellDone | None = None, command: str = "",
    kept: list[Target] | None = None,
) -> RunResult:  # fmt: skip
    """Run the plan on ``workers`` processes (1: in this process) and gather one result; with
    ``kept``, in this process, its targets added to it, not closed (the caller closes them)."""
    started, clock, began = now_iso(), time.perf_counter(), time.time()
    todo, gathered = jobs(plan, max(1, workers)), Gathered()
    in_order = InOrder(todo, on_cell)
    try:
        if workers <= 1 or kept is not None:
            _run_here(plan, todo, in_order, gathered, kept)
        else:
            run_in_workers(plan, todo, workers, in_order, gathered)
    except RunStopped as stop:
        if not gathered.issuers:
            raise
        gathered.problems.append(_stopped_after(stop, todo, gathered))
    finally:
        in_order.flush()
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
        started_s=round(began, 3),
        subjects=tuple(s.info() for s in plan.subjects),
        not_started=gathered.not_started(plan.subjects),
    )
    if not gathered.issuers:
        reason = "; ".join(dict.fromkeys(gathered.problems)) or "nothing to run"
        raise RunNotStarted(reason, RunResult(info, ()) if info.not_started else None)
    observed = tuple(sorted(gathered.observed, key=lambda o: o.order))
    return RunResult(info, unique(gathered.results), observed)


def _stopped_after(stop: RunStopped, todo: list[Job], gathered: Gathered) -> str:
    done = len({(r.subject, r.cell) for r in gathered.results})
    total = sum(len(job.cells) for job in todo)
    return f"the run was {stop} after {done} of {total} cell(s); the rest did not run"


def _run_here(
    plan: Plan, todo: list[Job], on_cell: CellDone, gathered: Gathered,
    kept: list[Target] | None = None,
) -> None:  # fmt: skip
    """The jobs side by side in this process; the first to finish records the observations;
    with ``kept``, their targets are added to it, not closed."""
    lock, observer = threading.Lock(), threading.Lock()  # the first to take it observes

    def run_job(job_plan: Plan) -> None:
        job = Job(job_plan.spec, job_plan.cells)
        try:
            target = job.spec.build()
        except Exception as exc:
            with lock:
                gathered.failed(*start_failure(job, exc))
            return
        try:
            with lock:
                gathered.ready(target.issuer, target.notes, target.warnings)
            for cell, found in run_cells(target, job_plan):
                with lock:
                    gathered.results += found
                on_cell(cell, found)
            if plan.observations and observer.acquire(blocking=False):
                observed = observe_all(target, plan.observations)
                with lock:
                    gathered.observed = observed
        finally:
            if kept is None:
                target.close()
            else:
                with lock:
                    kept.append(target)

    side_by_side([replace(plan, spec=job.spec, cells=job.cells) for job in todo], run_job)
