"""``python -m harness diff`` and ``python -m harness merge``: working with kept runs.

``diff A.json B.json`` prints what changed between two runs and exits 0 when nothing did,
1 when something did (as diff(1) does), 2 when a file cannot be read. ``merge A.json B.json
... [--report PATH]`` joins shards into one report (kept in the run history like any run,
under the merge's own time) and exits with the merged run's verdict: 0 PASSED, 1 FAILED,
3 INCOMPLETE (a cell no shard ran, or shards in conflict), 2 when a file cannot be read or the
shards do not make one run (the same run twice, two versions, two check catalogues).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from harness.model.results import RunResult, Verdict
from harness.model.runinfo import now_iso, python_module_command
from harness.model.text import escape_controls
from harness.report.compare import compare, diff_text
from harness.report.history import write_and_keep
from harness.report.json_report import NotAReport, read_json
from harness.report.merge import ShardsDoNotFit, merge
from harness.report.terminal import matrix_table, verdict_text
from oauthkit.commands import CLOSED_STDOUT, EXIT_BROKEN_PIPE, epilog

DEFAULT_REPORT = Path("reports") / "matrix.html"
EXIT_SAME, EXIT_DIFFERENT, EXIT_UNUSABLE = 0, 1, 2
_VERDICT_EXIT = {Verdict.PASSED: 0, Verdict.FAILED: 1, Verdict.INCOMPLETE: 3}
SUBCOMMANDS = ("diff", "merge")
DIFF_EXIT_CODES = {
    EXIT_SAME: "no differences (same verdict, same status for every check)",
    EXIT_DIFFERENT: "differences (printed)",
    EXIT_UNUSABLE: "a file cannot be read, or is not a harness JSON report",
    EXIT_BROKEN_PIPE: CLOSED_STDOUT,
}
MERGE_EXIT_CODES = {
    0: "the merged run PASSED",
    1: "the merged run FAILED",
    EXIT_UNUSABLE: "a file cannot be read or is not a harness JSON report, or the shards do "
    "not make one run (the same run twice, two versions of the harness, two check catalogues)",
    3: "the merged run is INCOMPLETE (a cell no shard ran, settings missing, shards in conflict)",
    EXIT_BROKEN_PIPE: CLOSED_STDOUT,
}


def unknown_command(word: str) -> str:
    """The error for a first word that is no command, with the closest one if any."""
    close = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    known = " and ".join(repr(c) for c in SUBCOMMANDS)
    return (
        f"there is no command {word!r}: {hint}the commands are {known}; a run takes options "
        "only (see --help)"
    )


class UnreadableRun(Exception):
    """A JSON report that cannot be read (the message names the file)."""


def parser() -> argparse.ArgumentParser:
    """The two subcommands and their options."""
    p = argparse.ArgumentParser(prog="python -m harness", description="Work with kept runs.")
    commands = p.add_subparsers(dest="command", required=True)
    diff = commands.add_parser(
        "diff",
        help="what changed between two runs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Show what changed between two runs' JSON reports: the verdict, each "
        "check whose status changed (worse or better), checks only in one run.",
        epilog=epilog(DIFF_EXIT_CODES, "none"),
    )
    diff.add_argument("a", type=Path, metavar="A.json", help="the earlier run")
    diff.add_argument("b", type=Path, metavar="B.json", help="the later run")
    joined = commands.add_parser(
        "merge",
        help="join shards into one report",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Join the JSON reports of shards (e.g. CI jobs each running --cells or "
        "--subject) into one report: the whole matrix of every subject they name, so a cell "
        "no shard ran leaves it INCOMPLETE; conflicting results are reported.",
        epilog=epilog(MERGE_EXIT_CODES, "none"),
    )
    joined.add_argument("runs", type=Path, nargs="+", metavar="RUN.json", help="the shards")
    joined.add_argument(
        "--report",
        type=Path,
        default=DEFAULT_REPORT,
        metavar="PATH",
        help=f"where to write the merged HTML report, JSON beside it (default {DEFAULT_REPORT})",
    )
    return p


def main(argv: Sequence[str], out: TextIO = sys.stdout) -> int:
    """Run ``diff`` or ``merge``; returns the exit status."""
    args = parser().parse_args(argv)
    try:
        if args.command == "diff":
            return _diff(args.a, args.b, out)
        return _merge(args.runs, args.report, list(argv), out)
    except (UnreadableRun, ShardsDoNotFit) as exc:
        print(escape_controls(f"error: {exc}"), file=sys.stderr)
        return EXIT_UNUSABLE


def _diff(a: Path, b: Path, out: TextIO) -> int:
    difference = compare(_read(a), _read(b))
    print(*diff_text(difference, (str(a), str(b))), sep="\n", file=out)
    return EXIT_SAME if difference.empty else EXIT_DIFFERENT


def _merge(paths: list[Path], report: Path, argv: list[str], out: TextIO) -> int:
    shards = [(str(path), _read(path)) for path in paths]
    run, _ = merge(shards, python_module_command("harness", argv))
    latest, kept = write_and_keep(run, report, kept_at=now_iso())
    print(matrix_table(run), file=out)
    print("", *verdict_text(run), sep="\n", file=out)  # conflicts and missing cells among them
    print(f"\nreport: {latest.html}\n  json: {latest.json}\n  kept: {kept.html}", file=out)
    return _VERDICT_EXIT[run.verdict]


def _read(path: Path) -> RunResult:
    try:
        return read_json(path)
    except IsADirectoryError:
        raise UnreadableRun(f"{path} is a folder: give its matrix.json") from None
    except OSError as exc:
        raise UnreadableRun(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except NotAReport as exc:
        raise UnreadableRun(f"{path} is not a harness JSON report (matrix.json): {exc}") from None
