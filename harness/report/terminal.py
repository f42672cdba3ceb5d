"""Plain-text views of a run for the terminal: progress per cell, the matrix, the issuer.

The verdict words follow RFC 2119 §1/§3: a failed MUST check fails the cell, a failed SHOULD
check is shown but does not. The issuer's observed behaviour (RFC 7662, RFC 6749 answers) is
listed after the matrix, one line each, with no verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.model.figures import FIGURE_PREFIX, propagation_figures
from harness.model.matrix import Cell, Mechanism
from harness.model.results import CheckResult, ObservationResult, RunResult, Verdict, verdict_of
from harness.model.text import escape_controls
from harness.report.causes import shared_causes
from harness.report.summary import BUILT_IN, Counts, by_subject, count, grid, group_of, summarise
from harness.report.timing import timing_lines

_VERDICT_WORDS = {
    "fail_open": "FAIL-OPEN",
    "fail": "FAIL",
    "warn": "PASS*",
    "incomplete": "PARTIAL",
    "pass": "PASS",
    "not_configured": "NOT CONFIGURED",
    "not_applicable": "N/A",
    "empty": "NO RESULTS",
}


def visible(lines: list[str]) -> list[str]:
    """Lines fit for a terminal: every control character a visible escape (an ESC or OSC
    sequence from an API must not recolour or retitle the reader's terminal or CI log)."""
    return [escape_controls(line) for line in lines]


def counts_text(counts: Counts) -> str:
    """``12 passed, 1 failed, 3 n/a`` (not configured only when there is some)."""
    text = f"{counts.passed} passed, {counts.failed} failed, {counts.not_applicable} n/a"
    if counts.fail_open:
        text += f", {counts.fail_open} fail-open"
    if counts.not_configured:
        text += f", {counts.not_configured} not configured"
    return text


def progress_line(cell: Cell, results: list[CheckResult]) -> str:
    """One line announcing a finished cell."""
    counts = count(results)
    verdict = _VERDICT_WORDS[counts.verdict]
    return escape_controls(f"cell {cell.number} {cell.name:<45} {verdict:<6} {counts_text(counts)}")


def failures_text(run: RunResult) -> list[str]:
    """One line per failed check, MUST first (already redacted)."""
    failed = [r for r in run.results if r.status == "failed"]
    failed.sort(key=lambda r: (not r.fail_open, r.level != "MUST", r.subject, r.variant, r.order))
    return [
        f"  {'FAIL-OPEN' if r.fail_open else r.level:<6} {_where(r)} {r.check_id}: "
        f"expected {r.expected}; got {r.actual}"
        for r in failed
    ]


def _where(result: CheckResult) -> str:
    group = group_of(result.subject)
    return f"{group}/{result.variant}" if group else result.variant


def causes_text(run: RunResult) -> list[str]:
    """One paragraph per cause shared by many failures (see ``harness/report/causes.py``)."""
    lines = []
    for cause in shared_causes(run.results):
        lines.append(f"One cause, {len(cause.results)} failures: {cause.title}")
        if cause.advice:
            lines.append(f"  {cause.advice}")
        lines.append(f"  checks: {', '.join(cause.checks)}")
    return visible(lines)


def verdict_text(run: RunResult) -> list[str]:
    """The verdict, then what left the run incomplete or weakened it, one item per line."""
    verdict = run.verdict
    lines = [f"Verdict: {verdict} ({_verdict_reason(run)})"]
    for variable, results in run.missing.items():
        cells = ", ".join(str(n) for n in sorted({r.cell for r in results}))
        lines.append(f"  not configured: {variable} ({len(results)} check(s), cell(s) {cells})")
        lines.append(f"    {results[0].detail}")
    lines += [f"  could not run: {problem}" for problem in run.info.problems]
    lines += [f"  warning: {warning}" for warning in run.info.warnings]
    return visible(lines)


def _verdict_reason(run: RunResult) -> str:
    if run.verdict is Verdict.FAILED:
        text = f"{run.must_failures} MUST check(s) failed"
        return text + (f", {run.fail_opens} fail-open" if run.fail_opens else "")
    if run.verdict is Verdict.INCOMPLETE:
        if not run.checks_ran:
            return "no check ran"
        return "part of the run did not run: settings are missing or something could not start"
    return "every MUST check ran and passed"


def matrix_table(run: RunResult) -> str:
    """The matrix as a fixed-width table, one verdict and count line per cell.

    With several subjects: one overview line per subject, then a table per subject.
    """
    subjects = by_subject(run.results)
    if len(subjects) <= 1:
        return escape_controls(_subject_table(run.results))
    lines = ["Subjects:"]
    for subject, results in subjects.items():
        name = subject or BUILT_IN
        lines.append(f"  {name:<30} {verdict_of(results)!s:<10} {counts_text(count(results))}")
    for subject, results in subjects.items():
        lines += ["", f"== {subject or BUILT_IN}", _subject_table(results)]
    return "\n".join(visible(lines))


def _subject_table(results: Sequence[CheckResult]) -> str:
    summaries = summarise(results)
    mechanisms, rows = grid(summaries)
    titles = [f"{m.label} ({m.sample})" for m in mechanisms]
    width = max(
        [34] + [len(counts_text(s.counts)) + 1 for s in summaries] + [len(t) + 1 for t in titles]
    )
    header = f"{'':<22}" + "".join(f"| {title:<{width}}" for title in titles)
    lines = [header, "-" * len(header)]
    for grant, row in rows:
        top = "".join(
            f"| {s.cell.number}: {_word(s.counts):<{width - 3}}" if s else f"| {'-':<{width}}"
            for s in row
        )
        bottom = "".join(f"| {counts_text(s.counts) if s else '':<{width}}" for s in row)
        lines += [f"{grant.label:<22}{top}", f"{'':<22}{bottom}"]
    lines.append(
        "PASS* = passed every MUST check, failed a SHOULD check; "
        "PARTIAL = passed what ran, some checks not configured."
    )
    if Mechanism.LOCAL_JWT in mechanisms:
        lines.append(LOCAL_JWT_NOTE)
    return "\n".join(line.rstrip() for line in lines)


LOCAL_JWT_NOTE = (
    "Local JWT validation: the API checks JWT access tokens itself with the issuer's keys, no "
    "introspection;\ncell 9 is n/a (a PAT is opaque), and a revoked JWT stays accepted until "
    "it expires (recorded, not judged)."
)


def _word(counts: Counts) -> str:
    return _VERDICT_WORDS[counts.verdict]


def observations_text(run: RunResult) -> list[str]:
    """One line per observation of the issuer's behaviour (already redacted)."""
    width = max((len(o.id) for o in run.observations), default=0)
    return visible([f"  {o.id:<{width}}  {_observed(o)}" for o in run.observations])


def _observed(observation: ObservationResult) -> str:
    if observation.observed:
        return observation.value
    return f"(not observed: {observation.detail})"


def propagation_text(run: RunResult) -> list[str]:
    """One line per API and variant: how long each change took to be noticed (RFC 7662 §4)."""
    lines = []
    for result in propagation_figures(run):
        what = result.check_id.removeprefix(FIGURE_PREFIX)
        who = f"{result.subject}: " if result.subject else ""
        lines.append(f"  {who}{result.variant} {what}: {result.actual}")
    return visible(lines)


def ending(run: RunResult) -> list[str]:
    """What ``python -m harness`` prints after the run: the matrix, what failed, the verdict."""
    lines = ["", matrix_table(run)]
    if run.observations:
        lines += ["", "Issuer behaviour (recorded, not judged):", *observations_text(run)]
    if figures := propagation_text(run):
        lines += ["", "Propagation (time until the API noticed):", *figures]
    if failures := failures_text(run):
        lines += ["", "Failed checks:", *failures]
    if causes := causes_text(run):
        lines += ["", *causes]
    if not run.checks_ran:
        lines += ["", "No check ran: every cell is not applicable or not configured (see above)."]
    return visible([*lines, "", *verdict_text(run), "", *timing_lines(run)])
