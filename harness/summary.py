"""Counting results per cell and per run, for the report header, the matrix and the terminal.

A cell's colour follows RFC 2119 §1 and §3: any failed MUST check makes it red, failed SHOULD
checks only make it amber; not-applicable and not-configured checks never count as passed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from harness.matrix import Cell, cells
from harness.results import CheckResult, Level, RunResult, Status


@dataclass(frozen=True)
class Counts:
    """How many results had each status, with failures split by level."""

    passed: int = 0
    failed_must: int = 0
    failed_should: int = 0
    not_applicable: int = 0
    not_configured: int = 0

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
        """``fail``, ``warn``, ``pass``, ``not_configured`` or ``empty``: the cell's colour."""
        if self.failed_must:
            return "fail"
        if self.failed_should:
            return "warn"
        if self.passed:
            return "pass"
        return "not_configured" if self.not_configured else "empty"


def count(results: list[CheckResult] | tuple[CheckResult, ...]) -> Counts:
    """Tally ``results`` by status (and level, for failures)."""
    tally = Counter(_bucket(r) for r in results)
    return Counts(
        passed=tally["passed"],
        failed_must=tally["failed_must"],
        failed_should=tally["failed_should"],
        not_applicable=tally["not_applicable"],
        not_configured=tally["not_configured"],
    )


def _bucket(result: CheckResult) -> str:
    if result.status is Status.FAILED:
        return "failed_must" if result.level is Level.MUST else "failed_should"
    return str(result.status)


@dataclass(frozen=True)
class CellSummary:
    """One cell of the matrix: its results grouped by variant, and their counts."""

    cell: Cell
    variants: dict[str, list[CheckResult]]
    counts: Counts

    @property
    def anchor(self) -> str:
        """The HTML id of the cell's section."""
        return f"cell{self.cell.number}"


def summarise(run: RunResult) -> list[CellSummary]:
    """One summary per cell, in cell order; cells with no results are still listed."""
    summaries = []
    for cell in cells():
        mine = sorted(
            (r for r in run.results if r.cell == cell.number),
            key=lambda r: (r.token_format != "opaque", r.variant, r.order, r.check_id),
        )
        by_variant: dict[str, list[CheckResult]] = {}
        for result in mine:
            by_variant.setdefault(result.variant, []).append(result)
        summaries.append(CellSummary(cell, by_variant, count(mine)))
    return summaries
