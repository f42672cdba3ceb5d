"""Keeping runs: each report also under ``runs/<timestamp>/`` beside the latest one.

``reports/matrix.html`` (and ``.json``) is always the latest run; every run is also kept as
``reports/runs/<timestamp>/matrix.{html,json}``, the timestamp being the run's start (RFC 3339
§5.6, UTC, with ``-`` for ``:`` so it is a valid file name everywhere), or for a merge the
time of the merge (its shards' own copies keep their start). Two runs that start in
the same second get ``-2``, ``-3``... Old runs are never deleted here: that is the user's call.
"""

from __future__ import annotations

from pathlib import Path

from harness.model.results import RunResult
from harness.report.html import ReportPaths, write_report

RUNS = "runs"


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
    run: RunResult, latest: Path, kept_at: str = ""
) -> tuple[ReportPaths, ReportPaths]:
    """Write the report at ``latest`` and a copy under ``runs/<timestamp>/`` (the run's start,
    or ``kept_at`` when given); both paths."""
    kept_dir = run_directory(Path(latest), kept_at or run.info.started_at)
    kept_dir.mkdir(parents=True)
    kept = write_report(run, kept_dir / Path(latest).name)
    return write_report(run, Path(latest)), kept
