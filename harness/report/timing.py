"""Where a run's time went: its wall time, the critical path and the slowest checks.

Checks run side by side, so the wall time is not the sum of their durations: it is set by the
longest chain of checks that ran one after another (each began after the one before it ended),
led by the time its subject took to start (its worker, issuer and API). That chain is the
*critical path*; the five slowest checks are listed with their seconds, as
``pytest --durations`` lists tests. Results carry their start and duration (``started_s``,
``duration_s``), so the same view is made from a run's JSON twin.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from harness.model.results import CheckResult, RunResult

SLOWEST = 5
# Chained checks may touch: starts and durations are rounded to 0.1 ms.
TOUCH_S = 0.0005
# In the terminal, the chain's longest steps are named, up to this many.
NAMED_STEPS = 3


@dataclass(frozen=True)
class Timing:
    """A run's timing: wall time, the checks' own time, the critical path, the slowest."""

    wall_s: float
    checks_s: float
    lead_s: float  # how long the path's subject took to start before its first check
    lead_subject: str
    path: tuple[CheckResult, ...]
    slowest: tuple[CheckResult, ...]

    @property
    def path_s(self) -> float:
        """The critical path's length: the lead and the chained checks' durations."""
        return self.lead_s + sum(r.duration_s for r in self.path)

    @property
    def longest_wait_s(self) -> float:
        """The longest single wait: the slowest check, or the slowest start of a subject."""
        slowest = self.slowest[0].duration_s if self.slowest else 0.0
        return max(slowest, self.lead_s)


def run_timing(run: RunResult, slowest: int = SLOWEST) -> Timing:
    """The timing of ``run`` (its results' starts and durations)."""
    timed = [r for r in run.results if r.started_s > 0]
    origin = run.info.started_s or min((r.started_s for r in timed), default=0.0)
    leads = _leads(timed, origin)
    lead, path = _critical_path(timed, leads)
    subject = path[0].subject if path else ""
    ranked = sorted(run.results, key=lambda r: -r.duration_s)[:slowest]
    checks_s = sum(r.duration_s for r in run.results)
    return Timing(run.info.duration_s, checks_s, lead, subject, tuple(path), tuple(ranked))


def _leads(timed: list[CheckResult], origin: float) -> dict[str, float]:
    """Per subject, the seconds from the run's start to its first check."""
    first: dict[str, float] = {}
    for result in timed:
        first[result.subject] = min(first.get(result.subject, result.started_s), result.started_s)
    return {subject: max(0.0, began - origin) for subject, began in first.items()}


def _critical_path(
    timed: list[CheckResult], leads: dict[str, float]
) -> tuple[float, list[CheckResult]]:
    """The heaviest chain of one subject's checks, each begun after the one before it ended,
    led by that subject's start (subjects run on targets of their own: no chain joins two)."""
    by_subject: dict[str, list[CheckResult]] = {}
    for result in timed:
        by_subject.setdefault(result.subject, []).append(result)
    best, path = 0.0, []
    for subject, results in by_subject.items():
        chain = _heaviest_chain(results)
        weight = leads.get(subject, 0.0) + sum(r.duration_s for r in chain)
        if weight > best:
            best, path = weight, chain
    return (leads.get(path[0].subject, 0.0), path) if path else (0.0, [])


def _heaviest_chain(results: list[CheckResult]) -> list[CheckResult]:
    """Weighted interval scheduling: the chain of non-overlapping spans of greatest total."""
    ordered = sorted(results, key=lambda r: r.started_s + r.duration_s)
    ends = [r.started_s + r.duration_s for r in ordered]
    best: list[float] = []  # the heaviest chain ending with check i
    before: list[int] = []  # its previous check, -1 when it is the first
    top: list[int] = []  # among checks 0..i, the one ending the heaviest chain
    for i, result in enumerate(ordered):
        j = bisect.bisect_right(ends, result.started_s + TOUCH_S, 0, i) - 1
        before.append(top[j] if j >= 0 else -1)
        best.append(result.duration_s + (best[top[j]] if j >= 0 else 0.0))
        top.append(i if not top or best[i] > best[top[-1]] else top[-1])
    path, i = [], top[-1] if top else -1
    while i >= 0:
        path.append(ordered[i])
        i = before[i]
    return path[::-1]


def _named(result: CheckResult) -> str:
    who = f"{result.subject} " if result.subject else ""
    return f"{who}{result.variant} {result.check_id}"


def timing_lines(run: RunResult) -> list[str]:
    """The terminal's lines: wall time, the critical path, the five slowest checks."""
    timing = run_timing(run)
    lines = [
        f"Time: {timing.wall_s:.1f} s wall for {timing.checks_s:.1f} s of checks; the longest "
        f"single wait {timing.longest_wait_s:.2f} s"
    ]
    if timing.path:
        steps = sorted(timing.path, key=lambda r: -r.duration_s)[:NAMED_STEPS]
        named = ", ".join(f"{r.check_id} {r.duration_s:.2f} s" for r in steps)
        who = timing.lead_subject or "the samples"
        lines.append(
            f"Critical path {timing.path_s:.1f} s: {who} started in {timing.lead_s:.1f} s, then "
            f"{len(timing.path)} check(s) one after another (longest: {named})"
        )
    if timing.slowest:
        lines.append(f"Slowest {len(timing.slowest)} checks:")
        lines += [f"  {r.duration_s:6.2f} s  {_named(r)}" for r in timing.slowest]
    return lines
