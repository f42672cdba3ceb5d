"""What every command here shares: `--version`, `--env-file`, one help layout, ports, a closed
stdout.

Every `--help` states each default as `(default: X)`, then lists the exit statuses and the
environment variables the command reads (`epilog`). A closed stdout (`python -m harness | head`)
ends a command quietly with status 141, as a process killed by SIGPIPE would: following
https://docs.python.org/3/library/signal.html#note-on-sigpipe, stdout is pointed at
`os.devnull` so the interpreter's final flush does not fail a second time.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NoReturn

from oauthkit import __version__
from oauthkit.env import EnvSource

EXIT_BROKEN_PIPE = 141
"""Status when stdout was closed by the reader (128 + SIGPIPE, as shells report it)."""

CLOSED_STDOUT = "stdout was closed by its reader (`| head`); nothing more is printed"


def epilog(exit_codes: Mapping[int, str], environment: str, before: str = "") -> str:
    """The end of a command's `--help`: optional text, exit statuses, environment variables.

    `environment` is indented under its heading; its own lines start with two spaces.
    """
    codes = [f"  {code:<4} {meaning}" for code, meaning in sorted(exit_codes.items())]
    parts = [before.rstrip()] if before else []
    parts += ["exit status:\n" + "\n".join(codes), "environment:\n  " + environment]
    return "\n\n".join(parts)


def add_version(parser: argparse.ArgumentParser) -> None:
    """Add `--version` (the distribution's version)."""
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="print the version"
    )


def env_file_argument(parser: argparse.ArgumentParser) -> None:
    """Add `--env-file`, shared by every sample's command line."""
    parser.add_argument(
        "--env-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="the .env file to read (default: .env in the working directory, if it exists); "
        "variables set in the process environment take precedence",
    )


def load_env(env_file: Path | None, environ: Mapping[str, str]) -> EnvSource:
    """The `EnvSource` for `--env-file`: an explicit file must exist, the default may not."""
    return EnvSource.load(env_file or Path(".env"), environ, required=env_file is not None)


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 to 65535 (0 picks a free one)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give 0 to 65535 (0: a free one)")
    return port


def exit_quietly_on_closed_stdout(main: Callable[[], int]) -> int:
    """Run `main`; if its reader closed stdout, return 141 instead of printing a traceback."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


def leave(code: int) -> NoReturn:
    """End the process with ``code`` once its work is done: its output flushed and its exit
    handlers run (what they stop or remove is stopped and removed), without the interpreter's
    teardown, which frees every object one by one: 0.1-0.3 s for a process holding a run's
    results, on the critical path of a run that waits for its workers to exit. As at a normal
    exit, its threads that are not daemons are waited for first."""
    for thread in threading.enumerate():
        if not thread.daemon and thread is not threading.current_thread():
            thread.join()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed by its reader, or by us
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)
