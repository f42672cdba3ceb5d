"""`python -m benchmarks.harness_timing`: how long the harness takes, beside its longest wait.

Runs `python -m harness` (the samples, the embedded mock issuer) and `python -m harness
--subject-dir tests/subjects` (the third-party subjects `tests/install-deps.sh` builds), one
after the other in one invocation, each as a user would run it, and reports for each its wall
time (from starting the command to its exit), the longest single wait in it (the slowest check
or the slowest start of a subject, from its JSON report: `harness/report/timing.py`), its
critical path and wall ÷ longest wait. Issue 15's goals: the default run within 10 s, and
wall ÷ longest wait at most 1.5 (a run as long as its longest wait, not the sum of its waits).
Exit status 0 when every goal is met, 1 when one is not, 2 when a run could not be made.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from harness.report.json_report import NotAReport, read_json
from harness.report.timing import run_timing

RUNS: dict[str, tuple[str, ...]] = {
    "default": (),
    "subjects": ("--subject-dir", "tests/subjects"),
    "quick": ("--profile", "quick"),
}
DEFAULT_RUNS = ("default", "subjects")
GOAL_WALL_S = {"default": 10.0}
GOAL_RATIO = 1.5


@dataclass(frozen=True)
class Row:
    """One measured run of the harness."""

    run: str
    command: str
    exit_status: int
    wall_s: float
    harness_s: float  # the run's own duration, as its report states it
    longest_wait_s: float
    longest_wait: str  # what it was: a check, or a subject's start
    critical_path_s: float
    results: int

    @property
    def ratio(self) -> float:
        """Wall time ÷ the longest single wait."""
        return self.wall_s / self.longest_wait_s if self.longest_wait_s else float("inf")

    def goals(self) -> list[str]:
        """The goals this run misses (empty: it meets them)."""
        missed = []
        if self.ratio > GOAL_RATIO:
            missed.append(f"wall ÷ longest wait {self.ratio:.2f} > {GOAL_RATIO}")
        limit = GOAL_WALL_S.get(self.run)
        if limit is not None and self.wall_s > limit:
            missed.append(f"wall {self.wall_s:.1f} s > {limit:g} s")
        return missed


def measured(
    run: str, command: Sequence[str], exit_status: int, wall_s: float, report: Path
) -> Row:
    """The row of a run whose JSON report is ``report``."""
    result = read_json(report)
    timing = run_timing(result)
    slowest = timing.slowest[0] if timing.slowest else None
    if slowest is not None and slowest.duration_s >= timing.lead_s:
        what = f"{slowest.subject} {slowest.variant} {slowest.check_id}".strip()
    else:
        what = f"the start of {timing.lead_subject or 'the samples'}"
    return Row(
        run, " ".join(command), exit_status, round(wall_s, 2), timing.wall_s,
        round(timing.longest_wait_s, 2), what, round(timing.path_s, 2), len(result.results),
    )  # fmt: skip


def measure(run: str, workdir: Path) -> Row:
    """Run the harness as ``run`` names it and measure it."""
    report = workdir / run / "matrix.html"
    command = [sys.executable, "-m", "harness", *RUNS[run], "--report", str(report)]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    shown = ["python", "-m", "harness", *RUNS[run]]
    try:
        return measured(run, shown, done.returncode, wall, report.with_suffix(".json"))
    except (OSError, NotAReport) as exc:
        why = f"{' '.join(shown)} wrote no report ({exc}): {done.stderr[-500:]}"
        raise RuntimeError(why) from None


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table, then the goals each misses."""
    lines = [
        "| run | exit | wall s | longest wait s | longest wait | critical path s | wall ÷ longest wait | results |",  # noqa: E501
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| `{r.command}` | {r.exit_status} | {r.wall_s:.1f} | {r.longest_wait_s:.2f} | "
            f"{r.longest_wait} | {r.critical_path_s:.1f} | {r.ratio:.2f} | {r.results} |"
        )
    for r in rows:
        missed = r.goals()
        lines.append(
            f"{r.run}: " + ("goals met" if not missed else "not met: " + "; ".join(missed))
        )
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.harness_timing",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    p.add_argument(
        "--runs",
        default=",".join(DEFAULT_RUNS),
        metavar="NAME,NAME",
        help=f"which runs, of {', '.join(RUNS)} (default: {','.join(DEFAULT_RUNS)})",
    )
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the rows as JSON")
    p.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep each run's report under DIR/<run>/ (default: a temporary folder)",
    )
    return p  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the chosen runs; the exit status says whether the goals are met."""
    args = parser().parse_args(argv)
    names = [n.strip() for n in args.runs.split(",") if n.strip()]
    unknown = [n for n in names if n not in RUNS]
    if unknown:
        print(f"python -m benchmarks.harness_timing: no run {', '.join(unknown)}; "
              f"choose from {', '.join(RUNS)}", file=sys.stderr)  # fmt: skip
        return 2
    with tempfile.TemporaryDirectory(prefix="harness-timing-") as workdir:
        try:
            rows = [measure(name, args.keep or Path(workdir)) for name in names]
        except RuntimeError as exc:
            print(f"python -m benchmarks.harness_timing: {exc}", file=sys.stderr)
            return 2
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n")
    return 1 if any(r.goals() for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
