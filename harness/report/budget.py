"""Keeping a report under its size: evidence goes to the worst results first.

Every result is bounded when it is made (``harness/run/execute.py``), but a run of many
subjects that all fail still holds more evidence (exchanges, log lines, issuer calls) than a
report should carry. Each result keeps its summary (status, level, expected and actual, cut
shorter if need be); evidence is then let in by severity (fail-open, failed MUST, failed
SHOULD, not configured, passed, not applicable) while the budget lasts. A result whose
evidence was left out says so (``evidence_left_out``), and the report names the command that
reruns that check alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from harness.model.bounds import REPORT_BYTES, clip
from harness.model.results import CheckResult, Level, RunResult, Status

Key = tuple[str, str, str]

# Room kept for the report's own text, the header and the observations.
OVERHEAD = 512 * 1024
BRIEF_FIELD = 300
# The evidence the HTML shows (exchanges, log lines, issuer calls), at most: the JSON twin
# keeps the rest, and a failure without it there says so and gives the command to rerun it.
HTML_EVIDENCE = 256 * 1024


def severity(result: CheckResult) -> int:
    """0 for the worst result (fail-open), up to 5 (not applicable)."""
    if result.status is Status.FAILED:
        if result.fail_open and not result.known_deviation:
            return 0
        return 1 if result.level is Level.MUST and not result.known_deviation else 2
    return {Status.NOT_CONFIGURED: 3, Status.PASSED: 4}.get(result.status, 5)


def brief(result: CheckResult) -> CheckResult:
    """The result without its evidence, its texts cut short."""
    return replace(
        result,
        expected=clip(result.expected, BRIEF_FIELD),
        actual=clip(result.actual, BRIEF_FIELD),
        detail=clip(result.detail, BRIEF_FIELD),
        exchanges=(),
        api_log=(),
        issuer_exchanges=(),
        evidence_left_out=bool(result.exchanges or result.api_log or result.issuer_exchanges),
    )


def size(result: CheckResult) -> int:
    """About how many bytes the result takes in the JSON twin."""
    return len(json.dumps(result.to_dict(), ensure_ascii=False).encode())


def within_budget(run: RunResult, limit: int = REPORT_BYTES) -> RunResult:
    """The run with as much evidence as fits in ``limit`` bytes, the worst results' first."""
    sizes = [size(r) for r in run.results]
    if sum(sizes) + OVERHEAD <= limit:
        return run
    briefs = [brief(r) for r in run.results]
    room = limit - OVERHEAD - sum(size(b) for b in briefs)
    kept = list(briefs)
    for n in sorted(range(len(run.results)), key=lambda i: severity(run.results[i])):
        extra = sizes[n] - size(briefs[n])
        if extra <= room:
            kept[n], room = run.results[n], room - extra
    return replace(run, results=tuple(kept))


def evidence_size(result: CheckResult) -> int:
    """About how many bytes a result's evidence takes."""
    return size(result) - size(brief(result))


def with_evidence(worst_first: Iterable[CheckResult], limit: int | None = None) -> set[Key]:
    """The keys of the results, taken in order, whose evidence fits in ``limit`` bytes
    (`HTML_EVIDENCE` by default)."""
    limit = HTML_EVIDENCE if limit is None else limit
    shown: set[Key] = set()
    for result in worst_first:
        cost = evidence_size(result)
        if cost <= limit:
            shown.add(result.key)
            limit -= cost
    return shown
