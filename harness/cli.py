"""``python -m harness``: run the matrix, show it, write the report, exit 0 only if all MUSTs pass.

Mock issuer by default; ``--env-file .env`` (or ``--issuer live``) runs against a live issuer
found by discovery (RFC 8414). Exit status: 0 PASSED (every MUST check, RFC 2119 §1, ran and
passed), 1 FAILED (one failed), 2 when the run could not start (bad option, unusable ``.env``),
3 INCOMPLETE (nothing failed, but settings were missing or part of the run could not start),
128 + N when signal N stopped it (130 Ctrl-C, 143 SIGTERM): what ran is still reported.
``diff`` and ``merge`` as the first word work with kept runs (``harness/subcommands.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from harness import subcommands
from harness.cli_options import DESCRIPTION, ENVIRONMENT, OPTIONS
from harness.model.matrix import Cell, Mode
from harness.model.results import CheckResult, RunResult, Verdict
from harness.model.runinfo import python_module_command
from harness.model.text import escape_controls
from harness.report.history import write_and_keep
from harness.report.html import prepare as prepare_report
from harness.report.terminal import ending, matrix_table, progress_line
from harness.run.cases import select_cells, select_checks, with_known_expectations
from harness.run.keep import kept_targets, serve_until_stopped
from harness.run.profiles import profile_checks
from harness.run.runner import CellDone, Plan, RunNotStarted, run_matrix
from harness.run.stopping import Stopping, stop_on_signals
from harness.subcommands import SUBCOMMANDS
from harness.subjects.file import Subject, SubjectError, chosen_subjects, sample_subjects
from harness.targets.base import Target
from harness.targets.live_preflight import ready_to_run
from harness.targets.spec import TargetSpec
from oauthkit import ConfigError
from oauthkit.commands import (
    CLOSED_STDOUT,
    EXIT_BROKEN_PIPE,
    add_version,
    epilog,
    exit_quietly_on_closed_stdout,
    leave,
)

EXIT_PASSED, EXIT_FAILED, EXIT_UNUSABLE, EXIT_INCOMPLETE = 0, 1, 2, 3
EXIT_STATUS = {
    Verdict.PASSED: EXIT_PASSED,
    Verdict.FAILED: EXIT_FAILED,
    Verdict.INCOMPLETE: EXIT_INCOMPLETE,
}
EXIT_CODES = {
    EXIT_PASSED: "passed: every MUST check ran and passed",
    EXIT_FAILED: "failed: a MUST check failed, or a check failed open",
    EXIT_UNUSABLE: "could not start: a bad option, a missing .env or one still holding "
    ".env.example's values, an issuer that does not answer, an unwritable --report",
    EXIT_INCOMPLETE: "incomplete: settings missing (each variable named) or part of the run "
    "could not start",
    EXIT_BROKEN_PIPE: CLOSED_STDOUT,
    130: "stopped by Ctrl-C (SIGINT); 143: by SIGTERM, 129: by SIGHUP; the report of what "
    "ran is written (INCOMPLETE)",
}


def parser() -> argparse.ArgumentParser:
    """The command line, with help for every option."""
    p = argparse.ArgumentParser(
        prog="python -m harness",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=DESCRIPTION,
        epilog=epilog(EXIT_CODES, ENVIRONMENT),
    )
    add_version(p)
    for flags, keywords in OPTIONS:
        p.add_argument(*flags, **keywords)
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command; returns the exit status (141 when the reader closed stdout)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] and words[0] in SUBCOMMANDS:  # diff / merge: working with kept runs
        return exit_quietly_on_closed_stdout(lambda: subcommands.main(words, out or sys.stdout))
    if words[:1] and not words[0].startswith("-"):  # a run takes options only
        parser().error(subcommands.unknown_command(words[0]))
    args = parser().parse_args(argv)
    return exit_quietly_on_closed_stdout(lambda: _run(args, argv, out or sys.stdout))


def command() -> NoReturn:
    """``python -m harness``: `main`, then the process leaves at once (`leave`)."""
    leave(main())


def _run(args: argparse.Namespace, argv: Sequence[str] | None, out: TextIO) -> int:
    with stop_on_signals() as stopping:
        return _run_stoppable(args, argv, out, stopping)
    # Stopped before any part of the run started: nothing to report, nothing left running.
    print(f"harness: {stopping} before the run started; nothing ran", file=sys.stderr)
    return stopping.exit_status


def _run_stoppable(
    args: argparse.Namespace, argv: Sequence[str] | None, out: TextIO, stopping: Stopping
) -> int:
    try:
        plan, workers = _plan(args), 1 if args.keep_issuer else _workers(args.workers)
        writable_folder(args.report.parent)
    except (ValueError, KeyError, ConfigError, SubjectError) as exc:
        said = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc  # no repr quotes
        print(escape_controls(f"error: {said}"), file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"Running {_cell_count(plan)} cell(s){_of_subjects(plan)} against the {plan.spec.mode} "
          f"issuer with {workers} worker(s)...", file=out, flush=True)  # fmt: skip
    with kept_targets(args.keep_issuer) as kept:
        return _run_planned(args, argv, out, stopping, (plan, workers), kept)


def _run_planned(
    args: argparse.Namespace, argv: Sequence[str] | None, out: TextIO, stopping: Stopping,
    planned: tuple[Plan, int], kept: list[Target] | None,
) -> int:  # fmt: skip
    plan, workers = planned
    try:
        progress = _progress(out, [s.name for s in plan.subjects])
        run = run_matrix(plan, workers, progress, _command(argv), kept)
    except (ConfigError, RunNotStarted) as exc:
        print(escape_controls(f"error: the run could not start: {exc}"), file=sys.stderr)
        if isinstance(exc, RunNotStarted) and exc.run is not None:
            _report_not_started(exc.run, args.report, out)
        return EXIT_UNUSABLE
    try:
        with stopping.deferred():  # a report being written is finished first
            paths, copy = write_and_keep(run, args.report, keep=args.keep_runs)
    except OSError as exc:
        print(f"error: cannot write the report {args.report}: {exc.strerror or exc}",
              file=sys.stderr)  # fmt: skip
        return EXIT_UNUSABLE
    if stopping.signal is not None:
        print(f"harness: {stopping}: its subjects and workers are stopped, its temporary "
              f"files removed; what ran ({run.verdict}): {paths.html}",
              file=sys.stderr)  # fmt: skip
        return stopping.exit_status
    print(*ending(run, args.verbose), sep="\n", file=out)
    print(f"\nreport: {paths.html}\n  json: {paths.json}\n  kept: {copy.html.parent}", file=out)
    if kept is not None:
        serve_until_stopped(kept, out)
    return EXIT_STATUS[run.verdict]


def _report_not_started(run: RunResult, report: Path, out: TextIO) -> None:
    """No subject could start: the report still names each, with its cause."""
    try:
        paths, _ = write_and_keep(run, report)
    except OSError as exc:
        print(f"error: cannot write the report {report}: {exc.strerror or exc}", file=sys.stderr)
        return
    print(matrix_table(run), f"\nreport: {paths.html}", sep="\n", file=out)


def _plan(args: argparse.Namespace) -> Plan:
    mode = Mode(args.issuer) if args.issuer else (Mode.LIVE if args.env_file else Mode.MOCK)
    env_file = args.env_file or (Path(".env") if mode is Mode.LIVE else None)
    if args.keep_issuer and mode is not Mode.MOCK:
        raise ConfigError("--keep-issuer keeps the mock issuer running; a live issuer runs anyway")
    if env_file is not None and not env_file.is_file():
        raise ConfigError(
            f"--env-file {env_file} does not exist: copy .env.example to .env and fill it in"
        )
    if env_file is not None:
        ready_to_run(env_file)  # the issuer answers, the .env is no longer .env.example's
    checks = profile_checks(args.profile, select_checks(args.checks))
    spec, chosen = TargetSpec(mode, env_file), select_cells(args.cells)
    return Plan(spec, chosen, checks, subjects=_subjects(args))


def _subjects(args: argparse.Namespace) -> tuple[Subject, ...]:
    if args.subject or args.subject_dir:
        return with_known_expectations(chosen_subjects(args.subject, args.subject_dir))
    return () if args.in_process else sample_subjects()


def _cell_count(plan: Plan) -> int:
    """The chosen cells that apply to at least one subject (all of them in process)."""
    if not plan.subjects:
        return len(plan.cells)
    mechanisms = {s.mechanism for s in plan.subjects}
    return sum(1 for c in plan.cells if c.mechanism in mechanisms)


def _of_subjects(plan: Plan) -> str:
    names = [s.name for s in plan.subjects]
    return f" of {len(names)} subject(s) ({', '.join(names)})" if names else " (in process)"


def writable_folder(folder: Path) -> None:
    """Create `folder` if needed; a `ConfigError` if it cannot be created or written to."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"--report: cannot create {folder}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"--report: cannot write to {folder}: permission denied")


def _workers(value: str) -> int:
    if value == "auto":
        return max(1, min(os.cpu_count() or 1, 6))
    count = int(value)
    if count < 1:
        raise ValueError(f"-n {value}: give at least 1 worker, or auto")
    return count


def _progress(out: TextIO, subjects: Sequence[str] = ()) -> CellDone:
    width = max((len(name) for name in subjects), default=0) + 2  # "name: " lines up the cells

    compiled: list[bool] = []

    def on_cell(cell: Cell, results: list[CheckResult]) -> None:
        if not compiled:  # the report's template compiles while the rest of the run goes on
            compiled.append(True)
            prepare_report()
        subject = results[0].subject if results else ""
        line = progress_line(cell, results)
        shown = f"{subject + ':':<{width}}{line}" if subject else line
        print(escape_controls(shown), file=out, flush=True)

    return on_cell


def _command(argv: Sequence[str] | None) -> str:
    return python_module_command("harness", list(sys.argv[1:] if argv is None else argv))
