"""Plain-text views of a run for the terminal: progress per cell, the matrix, the issuer.

The verdict words follow RFC 2119 §1/§3: a failed MUST check fails the cell, a failed SHOULD
check is shown but does not. The issuer's observed behaviour (RFC 7662, RFC 6749 answers) is
listed after the matrix, one line each, with no verdict.
"""

from __future__ import annotations

from harness.matrix import Cell, Grant, Mechanism
from harness.results import CheckResult, ObservationResult, RunResult
from harness.summary import Counts, count, summarise

_VERDICT_WORDS = {
    "fail": "FAIL",
    "warn": "PASS*",
    "pass": "PASS",
    "not_configured": "NOT CONFIGURED",
    "empty": "NO RESULTS",
}


def counts_text(counts: Counts) -> str:
    """``12 passed, 1 failed, 3 n/a`` (not configured only when there is some)."""
    text = f"{counts.passed} passed, {counts.failed} failed, {counts.not_applicable} n/a"
    if counts.not_configured:
        text += f", {counts.not_configured} not configured"
    return text


def progress_line(cell: Cell, results: list[CheckResult]) -> str:
    """One line announcing a finished cell."""
    counts = count(results)
    verdict = _VERDICT_WORDS[counts.verdict]
    return f"cell {cell.number} {cell.name:<45} {verdict:<6} {counts_text(counts)}"


def failures_text(run: RunResult) -> list[str]:
    """One line per failed check, MUST first (already redacted)."""
    failed = [r for r in run.results if r.status == "failed"]
    failed.sort(key=lambda r: (r.level != "MUST", r.variant, r.order))
    return [
        f"  {r.level:<6} {r.variant} {r.check_id}: expected {r.expected}; got {r.actual}"
        for r in failed
    ]


def matrix_table(run: RunResult) -> str:
    """The 3-by-2 matrix as a fixed-width table, one verdict and count line per cell."""
    summaries = summarise(run)
    auths = list(Mechanism)
    width = max([34] + [len(counts_text(s.counts)) + 1 for s in summaries])
    header = f"{'':<22}" + "".join(f"| {a.label + ' (' + a.sample + ')':<{width}}" for a in auths)
    lines = [header, "-" * len(header)]
    for grant in (Grant.JWT_PROFILE, Grant.CLIENT_CREDENTIALS, Grant.PAT):
        row = [s for s in summaries if s.cell.grant is grant]
        top = "".join(f"| {s.cell.number}: {_word(s.counts):<{width - 3}}" for s in row)
        bottom = "".join(f"| {counts_text(s.counts):<{width}}" for s in row)
        lines += [f"{grant.label:<22}{top}", f"{'':<22}{bottom}"]
    lines.append("PASS* = passed every MUST check, failed a SHOULD check.")
    return "\n".join(line.rstrip() for line in lines)


def _word(counts: Counts) -> str:
    return _VERDICT_WORDS[counts.verdict]


def observations_text(run: RunResult) -> list[str]:
    """One line per observation of the issuer's behaviour (already redacted)."""
    width = max((len(o.id) for o in run.observations), default=0)
    return [f"  {o.id:<{width}}  {_observed(o)}" for o in run.observations]


def _observed(observation: ObservationResult) -> str:
    if observation.observed:
        return observation.value
    return f"(not observed: {observation.detail})"
