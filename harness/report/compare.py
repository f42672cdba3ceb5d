"""What changed between two runs (mock against live, one version against another).

Results are matched by their identity in a run, (subject, variant, check): a check whose
status differs is a change, one only in the second run is new, one only in the first is
removed. A change is *worse* when the status moved down the order below (a fail-open is the
worst, then a failed MUST check, a failed SHOULD check, not configured, not applicable,
passed), else *better*. The verdicts of both runs are compared too.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.model.results import CheckResult, Level, RunResult, Status, Verdict

# Worst first; the index is the rank.
_ORDER = ("fail-open", "failed (MUST)", "failed (SHOULD)", "not_configured", "not_applicable",
          "passed")  # fmt: skip


def grade(result: CheckResult) -> str:
    """A result's status with what matters for comparison: fail-open, and the level of a failure."""
    if result.fail_open:
        return "fail-open"
    if result.status is Status.FAILED:
        return f"failed ({'MUST' if result.level is Level.MUST else 'SHOULD'})"
    return str(result.status)


def worse(before: str, after: str) -> bool:
    """True when the grade ``after`` is worse than ``before``."""
    return _ORDER.index(after) < _ORDER.index(before)


@dataclass(frozen=True)
class Change:
    """One check whose grade differs between the runs."""

    key: tuple[str, str, str]
    before: str
    after: str

    @property
    def worse(self) -> bool:
        """True for a regression."""
        return worse(self.before, self.after)


@dataclass(frozen=True)
class RunDiff:
    """The differences between run A and run B."""

    verdicts: tuple[Verdict, Verdict]
    changed: tuple[Change, ...]
    new: tuple[CheckResult, ...]
    removed: tuple[CheckResult, ...]

    @property
    def empty(self) -> bool:
        """True when nothing that matters differs."""
        same_verdict = self.verdicts[0] is self.verdicts[1]
        return same_verdict and not (self.changed or self.new or self.removed)


def compare(a: RunResult, b: RunResult) -> RunDiff:
    """The differences from ``a`` to ``b``."""
    before = {r.key: r for r in a.results}
    after = {r.key: r for r in b.results}
    changed = tuple(
        Change(key, grade(before[key]), grade(after[key]))
        for key in sorted(before.keys() & after.keys())
        if grade(before[key]) != grade(after[key])
    )
    new = tuple(after[k] for k in sorted(after.keys() - before.keys()))
    removed = tuple(before[k] for k in sorted(before.keys() - after.keys()))
    return RunDiff((a.verdict, b.verdict), changed, new, removed)


def diff_text(diff: RunDiff, names: tuple[str, str] = ("A", "B")) -> list[str]:
    """The differences as lines for the terminal, regressions marked."""
    first, second = diff.verdicts
    lines = [f"Verdict: {first} ({names[0]}) -> {second} ({names[1]})"]
    if diff.empty:
        return [*lines, "No differences in the checks' statuses."]
    if diff.changed:
        regressions = sum(1 for c in diff.changed if c.worse)
        lines.append(f"Changed ({len(diff.changed)}, {regressions} worse):")
        lines += [
            f"  {'WORSE ' if c.worse else 'better'} {_name(c.key)}: {c.before} -> {c.after}"
            for c in diff.changed
        ]
    if diff.new:
        lines.append(f"Only in {names[1]} ({len(diff.new)}):")
        lines += [f"  {_name(r.key)}: {grade(r)}" for r in diff.new]
    if diff.removed:
        lines.append(f"Only in {names[0]} ({len(diff.removed)}):")
        lines += [f"  {_name(r.key)}: {grade(r)}" for r in diff.removed]
    return lines


def _name(key: tuple[str, str, str]) -> str:
    subject, variant, check = key
    return f"{subject + '/' if subject else ''}{variant} {check}"
