"""Results grouped for reading: failures by check across cells, not-applicable rows by family.

A check that fails in five variants of three cells is one finding, read once: its worst
variant first, the cells it failed in named. Groups are ordered worst first (fail-open, then
MUST, then SHOULD, then how many variants failed). `interleaved` takes the worst of each
subject in turn, so the ten worst of a run of many subjects are not all one subject's.
Not-applicable rows, more than half of a run, fold into one line per family, each reason
counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harness.model.results import CheckResult, Status
from harness.report.budget import severity
from harness.report.summary import subject_prefix


@dataclass(frozen=True)
class CheckFailures:
    """One check's failures within one subject, across its cells and variants, worst first."""

    results: tuple[CheckResult, ...]

    @property
    def worst(self) -> CheckResult:
        """The failure to read first."""
        return self.results[0]

    @property
    def check_id(self) -> str:
        """The check that failed."""
        return self.worst.check_id

    @property
    def subject(self) -> str:
        """The subject it failed in ('' for the samples served in process)."""
        return self.worst.subject

    @property
    def cells(self) -> tuple[int, ...]:
        """The cells it failed in, in order."""
        return tuple(sorted({r.cell for r in self.results}))

    @property
    def anchor(self) -> str:
        """The HTML id of the group in the report."""
        return f"failed-{subject_prefix(self.subject)}{self.check_id}"


def failures_by_check(results: Iterable[CheckResult]) -> list[CheckFailures]:
    """The failed results grouped by (subject, check), the worst groups first."""
    groups: dict[tuple[str, str], list[CheckResult]] = {}
    for result in results:
        if result.status is Status.FAILED:
            groups.setdefault((result.subject, result.check_id), []).append(result)
    found = [CheckFailures(tuple(sorted(g, key=_order))) for g in groups.values()]
    return sorted(found, key=lambda g: (severity(g.worst), -len(g.results), g.check_id))


def interleaved(groups: Sequence[CheckFailures]) -> list[CheckFailures]:
    """Worst first across the run, each subject's next worst in turn within a severity."""
    rank: Counter[str] = Counter()
    keyed = []
    for group in groups:  # already worst first within each subject
        keyed.append(((severity(group.worst), rank[group.subject], group.subject), group))
        rank[group.subject] += 1
    return [group for _, group in sorted(keyed, key=lambda k: k[0])]


@dataclass(frozen=True)
class NotApplicable:
    """A family's not-applicable results: how many, and each reason with its count."""

    family: str
    results: tuple[CheckResult, ...]

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """The reasons given, the most frequent first."""
        return Counter(r.detail or "no reason given" for r in self.results).most_common()

    @property
    def checks(self) -> tuple[str, ...]:
        """The checks concerned, in order."""
        return tuple(dict.fromkeys(r.check_id for r in self.results))


def not_applicable_by_family(results: Iterable[CheckResult]) -> list[NotApplicable]:
    """The not-applicable results, one group per check family, the biggest first."""
    families: dict[str, list[CheckResult]] = {}
    for result in results:
        if result.status is Status.NOT_APPLICABLE:
            families.setdefault(result.family or "other", []).append(result)
    groups = [NotApplicable(family, tuple(found)) for family, found in families.items()]
    return sorted(groups, key=lambda g: (-len(g.results), g.family))


def _order(result: CheckResult) -> tuple[int, int, str]:
    return severity(result), result.cell, result.variant
