"""Plain-text views of a run for the terminal: progress per cell, the ending, the verdict.

The ending fits a screen (about 60 lines, whatever the run): the API x cell table, the
issuer's observed behaviour (recorded, never judged), the ten worst failures one line each
with the command that reruns the worst alone, then the verdict. ``-v`` prints every failure
and every cause instead. The verdict words follow RFC 2119 §1/§3: a failed MUST check fails
the cell, a failed SHOULD check is shown but does not. Every line is one line: an API's text
is folded and cut, its control characters shown as escapes.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.model.figures import FIGURE_PREFIX, propagation_figures
from harness.model.matrix import GRANTS, Cell, Mechanism, cells
from harness.model.results import (
    CheckResult,
    ObservationResult,
    RunResult,
    Verdict,
    verdict_of,
)
from harness.model.text import escape_controls
from harness.report.causes import causes_of
from harness.report.groups import CheckFailures, failures_by_check, interleaved
from harness.report.rerun import rerun_command
from harness.report.summary import Counts, api_of, by_api, count, not_started, summarise
from harness.report.timing import timing_lines

WORST_SHOWN = 10
# Lines of a kind the ending prints before it says how many more there are.
FIGURES_SHOWN = 3
ITEMS_SHOWN = 5
LINE = 160
_VERDICT_WORDS = {
    "fail_open": "FAIL-OPEN",
    "fail": "FAIL",
    "warn": "PASS*",
    "incomplete": "PARTIAL",
    "pass": "PASS",
    "not_configured": "NOT CONFIGURED",
    "not_applicable": "N/A",
    "empty": "-",
    "not_started": "COULD NOT START",  # a subject's row: it could not start, so nothing ran
}
LEGEND = (
    "Cells 1, 3, 5: introspection with private_key_jwt; 2, 4, 6: with client_secret_basic; "
    "7, 8, 9: local JWT validation (9 is n/a: a PAT is opaque).",
    "PASS* = only SHOULD checks failed; PARTIAL = what ran passed, some checks not configured; "
    "- = not run.",
)


def visible(lines: list[str]) -> list[str]:
    """Lines fit for a terminal: every control character a visible escape (an ESC or OSC
    sequence from an API must not recolour or retitle the reader's terminal or CI log)."""
    return [escape_controls(line) for line in lines]


def one_line(text: str, limit: int = LINE) -> str:
    """``text`` folded into one line of at most ``limit`` characters, escaped."""
    indent = text[: len(text) - len(text.lstrip(" "))]
    folded = indent + " ".join(escape_controls(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


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


def cell_word(counts: Counts | None) -> str:
    """A cell's verdict and its failures in a few characters: ``FAIL 90 (30 open)``."""
    if counts is None or not counts.total:
        return "-"
    word = _VERDICT_WORDS[counts.verdict]
    if counts.failed:
        word = f"{word.removesuffix('-OPEN')} {counts.failed}"
        word += f" ({counts.fail_open} open)" if counts.fail_open else ""
    return word + (f" {counts.not_configured} n/c" if counts.not_configured else "")


def matrix_table(run: RunResult) -> str:
    """The APIs x cells: one row per API, a column per grant, each entry its cell's number,
    verdict and failures (an API checks tokens one way, so its row is its three cells); an
    API that could not start has its row too, with the cause."""
    apis, absent = by_api(run.results), not_started(run)
    width = max([8, *(len(name) for name in [*apis, *absent])])
    rows = []
    for name, results in apis.items():
        mechanism = _mechanism(results)
        at = {s.cell.number: s.counts for s in summarise(results)}
        entries = [f"{c.number}: {cell_word(at.get(c.number))}" for c in _cells_of(mechanism)]
        rows.append((name, str(verdict_of(results)), entries))
    widths = [max([len(g.label), *(len(r[2][n]) for r in rows)]) for n, g in enumerate(GRANTS)]
    header = f"{'API':<{width}} {'verdict':<10}" + "".join(
        f" | {g.label:<{w}}" for g, w in zip(GRANTS, widths, strict=True)
    )
    lines = [header, "-" * len(header)]
    for name, verdict, entries in rows:
        lines.append(
            f"{name:<{width}} {verdict:<10}"
            + "".join(f" | {e:<{w}}" for e, w in zip(entries, widths, strict=True))
        )
    gone = [(f"{n:<{width}} {_VERDICT_WORDS['not_started']}: ", why) for n, why in absent.items()]
    lines += [row + one_line(why, LINE - len(row)) for row, why in gone]  # the cause in one line
    return "\n".join(visible([line.rstrip() for line in [*lines, *LEGEND]]))


def _mechanism(results: Sequence[CheckResult]) -> Mechanism:
    numbers = {c.number: c for c in cells()}
    return numbers[results[0].cell].mechanism


def _cells_of(mechanism: Mechanism) -> list[Cell]:
    return [c for c in cells() if c.mechanism is mechanism]


def failure_line(group: CheckFailures) -> str:
    """One failed check of one API, in one line: how bad, where, what was owed, what came."""
    r = group.worst
    label = "FAIL-OPEN" if r.fail_open else str(r.level)
    where = ("cells " if len(group.cells) > 1 else "cell ") + ", ".join(map(str, group.cells))
    more = f" ({len(group.results)} variants)" if len(group.results) > 1 else ""
    text = f"  {label:<9} {api_of(r)} {where}{more} {r.check_id}: "
    return one_line(text + f"expected {r.expected or 'the check to pass'}; got {r.actual}")


def failures_text(run: RunResult, verbose: bool = False) -> list[str]:
    """The worst failed checks, one line each (every failed result with ``verbose``)."""
    groups = interleaved(failures_by_check(run.results))
    if not groups:
        return []
    if verbose:
        every = [CheckFailures((r,)) for g in groups for r in g.results]
        return ["", "Failed checks (every variant):", *(failure_line(g) for g in every)]
    failed = sum(len(g.results) for g in groups)
    shown = groups[:WORST_SHOWN]
    head = f"Worst failures ({len(shown)} of {len(groups)} failed checks, {failed} failures"
    lines = ["", head + ("; -v prints every one):" if len(groups) > len(shown) else "):")]
    lines += [failure_line(g) for g in shown]
    worst = shown[0]
    lines.append(f"Rerun the worst alone: {rerun_command(run.info, worst.worst, worst.cells)}")
    return lines


def causes_text(run: RunResult) -> list[str]:
    """Per API, what its failures come down to (``harness/report/causes.py``), worst first."""
    lines = []
    for name, results in by_api(run.results).items():
        for cause in causes_of(results, run.info):
            n, checks = len(cause.results), len(cause.checks)
            lines.append(one_line(f"{name}: {n} failure(s) of {checks} check(s): {cause.title}"))
            if cause.advice:
                lines.append(f"  {cause.advice}")
            if cause.injected:
                lines.append(f"  ({cause.injected}: the answer is the finding, no setting)")
    return visible(lines)


def verdict_text(run: RunResult) -> list[str]:
    """The verdict, then what left the run incomplete or weakened it, a few of each."""
    lines = [f"Verdict: {run.verdict} ({_verdict_reason(run)})"]
    missing = []
    for variable, results in run.missing.items():
        where = ", ".join(str(n) for n in sorted({r.cell for r in results}))
        missing.append(f"  not configured: {variable} ({len(results)} check(s), cell(s) {where})")
        missing.append(one_line(f"    {results[0].detail}"))
    lines += _bounded(missing, 2 * ITEMS_SHOWN)
    lines += _bounded([one_line(f"  could not run: {p}") for p in run.info.problems])
    lines += _bounded([one_line(f"  warning: {w}") for w in run.info.warnings])
    return visible(lines)


def _bounded(lines: list[str], shown: int = ITEMS_SHOWN, verbose: bool = False) -> list[str]:
    if verbose or len(lines) <= shown + 1:
        return lines
    return [*lines[:shown], f"  … {len(lines) - shown} more in the report (-v prints them)"]


def _verdict_reason(run: RunResult) -> str:
    if run.verdict is Verdict.FAILED:
        text = f"{run.must_failures} MUST check(s) failed"
        return text + (f", {run.fail_opens} fail-open" if run.fail_opens else "")
    if run.verdict is Verdict.INCOMPLETE:
        if not run.checks_ran:
            return "no check ran"
        return "part of the run did not run: settings are missing or something could not start"
    return "every MUST check ran and passed"


def observations_text(run: RunResult) -> list[str]:
    """One line per observation of the issuer's behaviour (already redacted)."""
    width = max((len(o.id) for o in run.observations), default=0)
    return visible([one_line(f"  {o.id:<{width}}  {_observed(o)}") for o in run.observations])


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


def ending(run: RunResult, verbose: bool = False) -> list[str]:
    """What ``python -m harness`` prints after the run (about 60 lines at most without
    ``verbose``): the table, the issuer's behaviour, the propagation figures, the worst
    failures, the verdict."""
    lines = ["", matrix_table(run)]
    if run.observations:
        lines += ["", "Issuer behaviour (recorded, not judged):", *observations_text(run)]
    if figures := propagation_text(run):
        shown = _bounded(figures, FIGURES_SHOWN, verbose)
        lines += ["", "Propagation (time until the API noticed):", *shown]
    lines += failures_text(run, verbose)
    if verbose and (causes := causes_text(run)):
        lines += ["", "What the failures come down to, per API:", *causes]
    if not run.checks_ran:
        lines += ["", "No check ran: every cell is not applicable or not configured (see above)."]
    timing = timing_lines(run)
    if not verbose:  # the wall time and the critical path; -v adds the slowest checks
        timing = [line for line in timing if line.startswith(("Time:", "Critical path"))]
    return visible([*lines, "", *verdict_text(run), "", *timing])
