"""Counting results per cell and per run, for the report header, the matrix and the terminal.

A cell's colour follows RFC 2119 §1 and §3: any failed MUST check makes it red, failed SHOULD
checks only make it amber; not-applicable and not-configured checks never count as passed, and
a cell only partly run (some checks not configured) is *incomplete*, never green. A check that
let a request in where a refusal was owed (*fail-open*) colours its cell worst of all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from harness.model.matrix import Cell, Grant, Mechanism, cell_by_number, cells
from harness.model.results import CheckResult, Level, RunResult, Status

# What the report calls results with no subject: the project's own sample APIs.
BUILT_IN = "built-in samples"


@dataclass(frozen=True)
class Counts:
    """How many results had each status, with failures split by level."""

    passed: int = 0
    failed_must: int = 0
    failed_should: int = 0
    not_applicable: int = 0
    not_configured: int = 0
    fail_open: int = 0

    @property
    def failed(self) -> int:
        """All failures, MUST and SHOULD."""
        return self.failed_must + self.failed_should

    @property
    def total(self) -> int:
        """Every result counted."""
        return self.passed + self.failed + self.not_applicable + self.not_configured

    @property
    def verdict(self) -> str:
        """The cell's colour, worst first: ``fail_open``, ``fail``, ``warn``, ``incomplete``,
        ``pass``, ``not_configured`` (nothing ran for want of settings), ``not_applicable``
        (every check said why it does not apply, e.g. PAT x local JWT) or ``empty``."""
        if self.fail_open:
            return "fail_open"
        if self.failed_must:
            return "fail"
        if self.failed_should:
            return "warn"
        if self.passed:
            return "incomplete" if self.not_configured else "pass"
        if self.not_configured:
            return "not_configured"
        return "not_applicable" if self.not_applicable else "empty"


def count(results: list[CheckResult] | tuple[CheckResult, ...]) -> Counts:
    """Tally ``results`` by status (and level, for failures)."""
    tally = Counter(_bucket(r) for r in results)
    return Counts(
        passed=tally["passed"],
        failed_must=tally["failed_must"],
        failed_should=tally["failed_should"],
        not_applicable=tally["not_applicable"],
        not_configured=tally["not_configured"],
        fail_open=sum(1 for r in results if r.fail_open and not r.known_deviation),
    )


def _bucket(result: CheckResult) -> str:
    if result.status is Status.FAILED and result.known_deviation:
        return "failed_should"  # shown like a SHOULD failure: it does not fail the run
    if result.status is Status.FAILED:
        return "failed_must" if result.level is Level.MUST else "failed_should"
    return str(result.status)


@dataclass(frozen=True)
class CellSummary:
    """One cell of the matrix: its results grouped by variant, and their counts."""

    cell: Cell
    variants: dict[str, list[CheckResult]]
    counts: Counts
    prefix: str = ""

    @property
    def anchor(self) -> str:
        """The HTML id of the cell's section (prefixed by the subject's, if any)."""
        return f"{self.prefix}cell{self.cell.number}"


# The sample APIs run as subjects named after themselves; together they are one matrix.
SAMPLES = frozenset(m.sample for m in Mechanism)


def group_of(subject: str) -> str:
    """The report's group of a subject: '' for the built-in samples, else the subject's name."""
    return "" if subject in SAMPLES else subject


def subject_prefix(subject: str) -> str:
    """The prefix of a subject's HTML ids ('' for the built-in samples)."""
    group = group_of(subject)
    return f"{re.sub(r'[^A-Za-z0-9_-]+', '-', group)}-" if group else ""


# A could-not-start row shows its cause in one line of at most this many characters.
SHOWN_START_CAUSE = 120


def not_started(run: RunResult) -> dict[str, str]:
    """The subjects that could not start, each with its cause in one line: its first line
    (without the subject's name, which the row has) and, for a subject that exited, its last
    output line, the error it died of; shortened, the verdict lists the whole reason."""
    ran = {r.subject for r in run.results}
    rows = {}
    for name, cause in run.info.not_started.items():
        if name not in ran:
            lines = [line.strip() for line in cause.splitlines() if line.strip()] or [""]
            first = lines[0].removeprefix(f"subject {name}").lstrip(": ")
            line = first if len(lines) == 1 else f"{first.split(';')[0]} ... {lines[-1]}"
            cut = len(line) > SHOWN_START_CAUSE
            rows[name] = line[: SHOWN_START_CAUSE - 3] + "..." if cut else line
    return rows


def by_subject(results: Iterable[CheckResult]) -> dict[str, list[CheckResult]]:
    """Results per group (see `group_of`), the built-in samples ('') first, then by name."""
    grouped: dict[str, list[CheckResult]] = {}
    for result in results:
        grouped.setdefault(group_of(result.subject), []).append(result)
    return dict(sorted(grouped.items()))


def api_of(result: CheckResult) -> str:
    """The API a result is about: its subject, or the sample its cell runs in process."""
    return result.subject or cell_by_number(result.cell).mechanism.sample


def by_api(results: Iterable[CheckResult]) -> dict[str, list[CheckResult]]:
    """Results per API (see `api_of`): the samples first in cell order, then by name."""
    grouped: dict[str, list[CheckResult]] = {}
    for result in results:
        grouped.setdefault(api_of(result), []).append(result)
    order = {m.sample: n for n, m in enumerate(Mechanism)}
    return dict(sorted(grouped.items(), key=lambda item: (order.get(item[0], 9), item[0])))


def summarise(results: Iterable[CheckResult], prefix: str = "") -> list[CellSummary]:
    """One summary per cell, in cell order; cells with no results are still listed."""
    results = list(results)
    summaries = []
    for cell in cells():
        mine = sorted(
            (r for r in results if r.cell == cell.number),
            key=lambda r: (r.token_format != "opaque", r.variant, r.order, r.check_id),
        )
        by_variant: dict[str, list[CheckResult]] = {}
        for result in mine:
            by_variant.setdefault(result.variant, []).append(result)
        summaries.append(CellSummary(cell, by_variant, count(mine), prefix))
    return summaries


Row = tuple[Grant, list[CellSummary | None]]


def grid(summaries: list[CellSummary]) -> tuple[list[Mechanism], list[Row]]:
    """The matrix as columns (mechanisms) and rows (grants); None where no cell exists."""
    mechanisms = list(dict.fromkeys(s.cell.mechanism for s in summaries))
    grants = list(dict.fromkeys(s.cell.grant for s in summaries))
    at = {(s.cell.grant, s.cell.mechanism): s for s in summaries}
    return mechanisms, [(g, [at.get((g, m)) for m in mechanisms]) for g in grants]
