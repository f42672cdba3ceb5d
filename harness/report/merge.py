"""Joining shards: runs of parts of the matrix (``--cells``, ``--subject``) into one run.

CI often runs the matrix in several jobs; each writes its own ``matrix.json``. Merging keeps
every result once, by its identity (subject, variant, check). The same result in two shards
is fine when both agree; when they disagree, the worse one is kept (`compare.grade` order)
and the conflict is recorded as a problem of the merged run, which is then never PASSED:
two shards that disagree about one check do not make a trustworthy whole.

A merge is the whole matrix of every subject its shards name: a cell of a subject's mechanism
that no shard ran is named as a problem (the run is INCOMPLETE, never PASSED for 4 cells of
9). Shards that cannot make one run are refused with `ShardsDoNotFit`, naming both files: the
same run given twice, runs of two versions of the harness, or two check catalogues (one check
with another title, RFC section or level).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from harness.model.matrix import Mechanism, cells
from harness.model.results import CheckResult, ObservationResult, RunInfo, RunResult, Status
from harness.model.runinfo import PROJECT, SubjectInfo
from harness.report.compare import grade, worse
from harness.report.summary import BUILT_IN

Shard = tuple[str, RunResult]  # the file's name, the run it holds
# Checks named in a catalogue mismatch before the rest are counted.
SHOWN_MISMATCHES = 3


class ShardsDoNotFit(ValueError):
    """Shards that cannot make one run; the message names both files and why, in words."""


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


def merge(runs: list[Shard], command: str = "") -> tuple[RunResult, list[Conflict]]:
    """One run from named shards (name, run), and the conflicts found between them;
    `ShardsDoNotFit` when they cannot make one run."""
    fitting(runs)
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
    results = tuple(result for _, result in kept.values())
    problems = (*missing_cells(results, _named(runs)), *(str(c) for c in conflicts))
    info = _info([run for _, run in runs], command, problems, {r.subject for r in results})
    return RunResult(info, results, _observations([run for _, run in runs])), conflicts


def fitting(runs: list[Shard]) -> None:
    """Raise `ShardsDoNotFit` unless the shards are distinct runs of one harness."""
    for n, (name, run) in enumerate(runs):
        for other_name, other in runs[:n]:
            if run.info == other.info:
                raise ShardsDoNotFit(
                    f"{other_name} and {name} are the same run (started {run.info.started_at}: "
                    f"{run.info.command}); give each shard once"
                )
            _same_version(other_name, other.info, name, run.info)
    _same_catalogue(runs)


def _same_version(first: str, a: RunInfo, second: str, b: RunInfo) -> None:
    ours, theirs = a.versions.get(PROJECT), b.versions.get(PROJECT)
    if ours != theirs:
        raise ShardsDoNotFit(
            f"{first} was written by version {ours or '(unknown)'} of the harness, {second} by "
            f"{theirs or '(unknown)'}: shards of two versions do not make one run; merge the "
            "shards of one version"
        )


def _same_catalogue(runs: list[Shard]) -> None:
    """Every check the same (title, RFC section, level) in every shard that ran it."""
    first: dict[str, tuple[str, tuple[str, str, str | None]]] = {}
    differ: dict[tuple[str, str], list[str]] = {}
    for name, run in runs:
        for result in run.results:
            entry = catalogue_entry(result)
            seen = first.setdefault(result.check_id, (name, entry))
            if seen[0] != name and not _agree(seen[1], entry):
                found = differ.setdefault((seen[0], name), [])
                if result.check_id not in found:
                    found.append(result.check_id)
    for (a, b), checks in differ.items():
        shown = ", ".join(checks[:SHOWN_MISMATCHES])
        left = len(checks) - SHOWN_MISMATCHES
        more = f" and {left} more" if left > 0 else ""
        raise ShardsDoNotFit(
            f"{a} and {b} hold two check catalogues: {shown}{more} differ in title, RFC section "
            f"or level ({_described(runs, checks[0], a, b)}); merge shards of one harness"
        )


def catalogue_entry(result: CheckResult) -> tuple[str, str, str | None]:
    """What the catalogue says of a result's check: title, RFC section, level (None when an
    older report does not say, and a failure may have been graded at another level)."""
    level = result.check_level or (result.level if result.status is not Status.FAILED else None)
    return (result.title, result.rfc, str(level) if level else None)


def _agree(a: tuple[str, str, str | None], b: tuple[str, str, str | None]) -> bool:
    same_level = a[2] is None or b[2] is None or a[2] == b[2]
    return a[:2] == b[:2] and same_level


def _described(runs: list[Shard], check_id: str, *names: str) -> str:
    entries = []
    for wanted in names:
        run = next(run for name, run in runs if name == wanted)
        result = next(r for r in run.results if r.check_id == check_id)
        title, rfc, level = catalogue_entry(result)
        entries.append(f"{check_id} is {title!r}, {rfc}, {level or 'level unknown'} in {wanted}")
    return "; ".join(entries)


def missing_cells(
    results: Iterable[CheckResult], named: Mapping[str, Mechanism] | None = None
) -> list[str]:
    """Per subject, the cells of its mechanism (all nine for the built-in samples) that no
    result covers, as problems of the merged run; ``named`` adds the subjects a shard read the
    file of (with their mechanism), even when no shard ran any of their cells."""
    ran: dict[str, set[int]] = {name: set() for name in named or {}}
    for result in results:
        ran.setdefault(result.subject, set()).add(result.cell)
    problems = []
    for subject, numbers in ran.items():
        mechanisms = {c.mechanism for c in cells() if c.number in numbers}
        mechanisms |= {named[subject]} if named and subject in named else set()
        owed = [c.number for c in cells() if not subject or c.mechanism in mechanisms]
        absent = [n for n in owed if n not in numbers]
        if absent:
            who = f"subject {subject}" if subject else BUILT_IN
            listed = ", ".join(str(n) for n in absent)
            problems.append(f"{who}: no shard ran cell(s) {listed} of {len(owed)}")
    return problems


def _named(runs: list[Shard]) -> dict[str, Mechanism]:
    """The subjects whose files the shards read, but for those that could not start (their
    own rows and problems say so already)."""
    gone = {name for _, run in runs for name in run.info.not_started}
    return {
        s.name: Mechanism(s.mechanism)
        for _, run in runs
        for s in run.info.subjects
        if s.name not in gone and s.mechanism in set(Mechanism)
    }


def _subjects(infos: list[RunInfo]) -> tuple[SubjectInfo, ...]:
    """Every subject file the shards read, once (the first shard's reading of it)."""
    found: dict[str, SubjectInfo] = {}
    for info in infos:
        for subject in info.subjects:
            found.setdefault(subject.name, subject)
    return tuple(found.values())


def _info(runs: list[RunResult], command: str, problems: tuple[str, ...], ran: set[str]) -> RunInfo:
    infos = [run.info for run in runs]
    absent = {n: c for i in infos for n, c in i.not_started.items() if n not in ran}
    return RunInfo(
        mode=_joined(i.mode for i in infos),
        issuer=_joined(i.issuer for i in infos),
        started_at=min(i.started_at for i in infos),
        duration_s=max(i.duration_s for i in infos),
        command=command,
        versions=infos[0].versions,
        notes=(*_union(i.notes for i in infos), _merged_from(infos)),
        warnings=_union(i.warnings for i in infos),
        problems=(*_union(i.problems for i in infos), *problems),
        subjects=_subjects(infos),
        not_started=absent,  # a subject one shard could not start and another ran has results
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
