"""Keeping runs: each report also under ``runs/<timestamp>/`` beside the latest one.

``reports/matrix.html`` (and ``.json``) is always the latest run; every run is also kept as
``reports/runs/<timestamp>/matrix.{html,json}``, the timestamp being the run's start (RFC 3339
§5.6, UTC, with ``-`` for ``:`` so it is a valid file name everywhere), or for a merge the
time of the merge (its shards' own copies keep their start). Two runs that start in
the same second get ``-2``, ``-3``... Only the newest `KEEP_RUNS` copies are kept (``python -m
harness --keep-runs N``; ``all`` keeps every one): older ones are removed after a new one is
written, and only folders named as this module names them, holding a report, are touched.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from harness.model.results import RunResult
from harness.model.serial import write_whole
from harness.report.html import ReportPaths, write_report

RUNS = "runs"
KEEP_RUNS = 20
_KEPT = re.compile(r"(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ|unknown-time)(?:-(\d+))?")


def runs_to_keep(value: str) -> int | None:
    """``--keep-runs``: a number of runs (1 or more), or ``all`` (None: keep every one)."""
    if value == "all":
        return None
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give a number of runs (1 or more), or all")
    return int(value)


def run_directory(latest: Path, started_at: str) -> Path:
    """A new, not yet existing directory for a run's copy, beside ``latest``'s directory."""
    stamp = started_at.replace("+00:00", "Z").replace(":", "-") or "unknown-time"
    base = latest.parent / RUNS / stamp
    candidate, number = base, 1
    while candidate.exists():
        number += 1
        candidate = base.with_name(f"{stamp}-{number}")
    return candidate


def write_and_keep(
    run: RunResult, latest: Path, kept_at: str = "", keep: int | None = KEEP_RUNS
) -> tuple[ReportPaths, ReportPaths]:
    """Write the report at ``latest`` and a copy under ``runs/<timestamp>/`` (the run's start,
    or ``kept_at`` when given), then remove all but the newest ``keep`` copies (None: none
    removed); both paths."""
    kept_dir = run_directory(Path(latest), kept_at or run.info.started_at)
    kept_dir.mkdir(parents=True)
    kept = write_report(run, kept_dir / Path(latest).name)
    if keep is not None:
        prune(kept_dir.parent, keep, Path(latest).with_suffix(".json").name, kept_dir)
    return _copied(kept, Path(latest)), kept


def _copied(kept: ReportPaths, latest: Path) -> ReportPaths:
    """The kept copy, copied to ``latest`` (the same name, so the HTML's link to its JSON holds):
    built once, not twice; each file replaced whole, as `write_whole` writes."""
    paths = ReportPaths(html=latest, json=latest.with_suffix(".json"))
    latest.parent.mkdir(parents=True, exist_ok=True)
    for source, target in ((kept.html, paths.html), (kept.json, paths.json)):
        with source.open(encoding="utf-8", newline="") as text:
            write_whole(target, text)  # line by line, as it was written
    return paths


def prune(
    runs: Path, keep: int, report: str = "matrix.json", new: Path | None = None
) -> list[Path]:
    """Remove all but the newest ``keep`` kept runs in ``runs`` (by their names: the time, then
    the number; ``new``, the copy just written, always stays); only folders named as kept runs
    and holding ``report``. The removed ones."""
    found = []
    for folder in runs.iterdir():
        match = _KEPT.fullmatch(folder.name)
        if match and folder != new and folder.is_dir() and (folder / report).is_file():
            found.append(((match.group(1), int(match.group(2) or 1)), folder))
    room = keep - (new is not None)
    old = [folder for _, folder in sorted(found)[: max(0, len(found) - room)]]
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    return old
