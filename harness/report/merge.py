"""Joining shards: runs of parts of the matrix (``--cells``, ``--subject``) into one run.

CI often runs the matrix in several jobs; each writes its own ``matrix.json``. Merging keeps
every result once, by its identity (subject, variant, check). The same result in two shards
is fine when both agree; when they disagree, the worse one is kept (`compare.grade` order)
and the conflict is recorded as a problem of the merged run, which is then never PASSED:
two shards that disagree about one check do not make a trustworthy whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.model.results import CheckResult, ObservationResult, RunInfo, RunResult
from harness.report.compare import grade, worse


@dataclass(frozen=True)
class Conflict:
    """One check reported differently by two shards."""

    key: tuple[str, str, str]
    grades: tuple[str, str]
    sources: tuple[str, str]

    def __str__(self) -> str:
        subject, variant, check = self.key
        where = f"{subject + '/' if subject else ''}{variant} {check}"
        return (
            f"conflicting results for {where}: {self.grades[0]} in {self.sources[0]}, "
            f"{self.grades[1]} in {self.sources[1]}"
        )


def merge(runs: list[tuple[str, RunResult]], command: str = "") -> tuple[RunResult, list[Conflict]]:
    """One run from named shards (name, run), and the conflicts found between them."""
    kept: dict[tuple[str, str, str], tuple[str, CheckResult]] = {}
    conflicts: list[Conflict] = []
    for name, run in runs:
        for result in run.results:
            seen = kept.get(result.key)
            if seen is None or grade(seen[1]) == grade(result):
                kept[result.key] = (name, result)
                continue
            conflicts.append(Conflict(result.key, (grade(seen[1]), grade(result)), (seen[0], name)))
            if worse(grade(seen[1]), grade(result)):
                kept[result.key] = (name, result)
    info = _info([run for _, run in runs], command, conflicts)
    results = tuple(result for _, result in kept.values())
    return RunResult(info, results, _observations([run for _, run in runs])), conflicts


def _info(runs: list[RunResult], command: str, conflicts: list[Conflict]) -> RunInfo:
    infos = [run.info for run in runs]
    return RunInfo(
        mode=_joined(i.mode for i in infos),
        issuer=_joined(i.issuer for i in infos),
        started_at=min(i.started_at for i in infos),
        duration_s=max(i.duration_s for i in infos),
        command=command,
        versions=infos[0].versions,
        notes=(*_union(i.notes for i in infos), _merged_from(infos)),
        warnings=_union(i.warnings for i in infos),
        problems=(*_union(i.problems for i in infos), *(str(c) for c in conflicts)),
    )


def _merged_from(infos: list[RunInfo]) -> str:
    return f"merged from {len(infos)} runs: " + "; ".join(i.command for i in infos)


def _observations(runs: list[RunResult]) -> tuple[ObservationResult, ...]:
    by_id: dict[str, ObservationResult] = {}
    for run in runs:
        for observation in run.observations:
            by_id.setdefault(observation.id, observation)
    return tuple(sorted(by_id.values(), key=lambda o: o.order))


def _joined(values: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(v for v in values if v))


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))
