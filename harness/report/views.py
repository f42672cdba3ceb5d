"""The report's parts as plain data for the template: the overview, a section per subject.

The overview has one line per API (subject): its verdict, a coloured count per cell it ran
(linked to that cell in its matrix) and its worst failure. Each section then holds the
subject's matrix (only the cells it ran: an API checks tokens one way, so a third-party
subject's matrix is one column), its top causes, its failures grouped by check and, per
cell, a table of the checks that ran (one column per token format) with the checks that do
not apply folded into one line per family. The built-in samples are one section and one
matrix, as ZITADEL's table is.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.model.matrix import Grant, Mechanism
from harness.model.results import CheckResult, RunInfo, RunResult, Status, Verdict, verdict_of
from harness.report.causes import Cause, causes_of
from harness.report.groups import (
    CheckFailures,
    NotApplicable,
    failures_by_check,
    not_applicable_by_family,
)
from harness.report.summary import (
    BUILT_IN,
    CellSummary,
    Counts,
    api_of,
    by_api,
    by_subject,
    count,
    group_of,
    subject_prefix,
    summarise,
)

# Causes shown per subject before the rest are folded.
CAUSES_SHOWN = 5


@dataclass(frozen=True)
class ApiLine:
    """One API in the overview: its verdict, its cells' counts, its worst failure."""

    name: str
    prefix: str
    verdict: Verdict
    counts: Counts
    cells: list[CellSummary]
    worst: CheckFailures | None
    description: str = ""


@dataclass(frozen=True)
class CheckRow:
    """One check of a cell: its result in each variant (None where it did not run there)."""

    first: CheckResult
    by_variant: list[CheckResult | None]

    @property
    def results(self) -> list[CheckResult]:
        """The results present, in variant order."""
        return [r for r in self.by_variant if r is not None]


@dataclass(frozen=True)
class CellTable:
    """A cell's checks that ran, one column per variant, and those that did not apply."""

    summary: CellSummary
    variants: list[str]
    formats: list[str]
    rows: list[CheckRow]
    not_applicable: list[NotApplicable]
    api: str


@dataclass(frozen=True)
class SubjectView:
    """One subject's section (the built-in samples are one)."""

    name: str
    prefix: str
    verdict: Verdict
    counts: Counts
    mechanisms: list[Mechanism]
    rows: list[tuple[Grant, list[CellSummary | None]]]
    causes: list[Cause]
    failures: list[CheckFailures]
    tables: list[CellTable]
    description: str = ""

    @property
    def label(self) -> str:
        """The subject's name, or what the empty name means."""
        return self.name or BUILT_IN


def overview(run: RunResult) -> list[ApiLine]:
    """One line per API, in the order of the sections."""
    lines = []
    for name, results in sorted(by_api(run.results).items(), key=lambda a: group_of(a[0])):
        ran = [s for s in summarise(results, subject_prefix(name)) if s.counts.total]
        worst = failures_by_check(results)
        lines.append(
            ApiLine(
                name,
                subject_prefix(name),
                verdict_of(results),
                count(results),
                ran,
                worst[0] if worst else None,
                _description(run.info, name),
            )
        )
    return lines


def subject_views(run: RunResult) -> list[SubjectView]:
    """One view per subject (the built-in samples first)."""
    return [_view(run, name, results) for name, results in by_subject(run.results).items()]


def _view(run: RunResult, name: str, results: list[CheckResult]) -> SubjectView:
    prefix = subject_prefix(name)
    ran = [s for s in summarise(results, prefix) if s.counts.total]
    mechanisms = list(dict.fromkeys(s.cell.mechanism for s in ran))
    grants = list(dict.fromkeys(s.cell.grant for s in ran))
    at = {(s.cell.grant, s.cell.mechanism): s for s in ran}
    return SubjectView(
        name=name,
        prefix=prefix,
        verdict=verdict_of(results),
        counts=count(results),
        mechanisms=mechanisms,
        rows=[(g, [at.get((g, m)) for m in mechanisms]) for g in grants],
        causes=causes_of(results, run.info),
        failures=failures_by_check(results),
        tables=[_table(s) for s in ran],
        description=_description(run.info, name),
    )


def _table(summary: CellSummary) -> CellTable:
    variants = list(summary.variants)
    every = [r for found in summary.variants.values() for r in found]
    ran: dict[str, list[CheckResult | None]] = {}
    for n, found in enumerate(summary.variants.values()):
        for result in found:
            if result.status is not Status.NOT_APPLICABLE:
                ran.setdefault(result.check_id, [None] * len(variants))[n] = result
    rows = [CheckRow(next(r for r in row if r), row) for row in ran.values()]
    formats = [found[0].token_format for found in summary.variants.values()]
    api = api_of(every[0]) if every else summary.cell.mechanism.sample
    return CellTable(summary, variants, formats, rows, not_applicable_by_family(every), api)


def _description(info: RunInfo, name: str) -> str:
    subject = info.subject(name)
    return subject.description if subject else ""
