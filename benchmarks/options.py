"""The command line's options and how their values are read, one group per concern.

The scenario lists choose the dimensions of `benchmarks.scenarios` (RFC 7662 §4 caching,
https://www.rfc-editor.org/rfc/rfc7662#section-4, issuer latency, token mix); every
combination of the listed values is one scenario. List defaults are written as the user
would type them, so `--help` shows them that way and argparse parses them like input.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.loadgen import CHOICES as GENERATORS
from benchmarks.scenarios import API_NAMES, TOKEN_MIXES
from oauthkit.commands import CLOSED_STDOUT, EXIT_BROKEN_PIPE, add_version, epilog

EXAMPLES = """examples:
  python -m benchmarks                      # the 16 default scenarios, about half a minute
  python -m benchmarks --api api_basic_auth --cache off --latency-ms 0 --tokens hot
  python -m benchmarks --latency-ms 0,200 --duration 5 --json reports/bench.json
  python -m benchmarks --list               # the scenarios, without running them
"""
DESCRIPTION = """\
Measure the sample APIs checking tokens by introspection against the mock issuer:
requests/s, latency percentiles, answers by status, the introspection calls that reach
the issuer, and the API process's CPU time per request and peak RSS.
Every combination of the listed values is one scenario."""
EXIT_CODES = {
    0: "every request got 200",
    1: "some requests got another answer (see the statuses)",
    2: "a bad option",
    EXIT_BROKEN_PIPE: CLOSED_STDOUT,
}
ENVIRONMENT = "none read: the APIs get the mock issuer's settings, not this shell's"


def listed(allowed: Sequence[str]) -> Callable[[str], list[str]]:
    """A reader of comma-separated values, each one of `allowed`."""

    def parse(text: str) -> list[str]:
        values = [part.strip() for part in text.split(",") if part.strip()]
        if not values or any(v not in allowed for v in values):
            raise argparse.ArgumentTypeError(
                f"{text!r}: give a comma-separated list of {', '.join(allowed)}"
            )
        return values

    return parse


def milliseconds(text: str) -> list[float]:
    """Comma-separated latencies in milliseconds, each in [0, 60000)."""
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        values = []
    if not values or any(not 0 <= v < 60_000 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give milliseconds like 0,50")
    return values


def positive(kind: Callable[[str], int | float]) -> Callable[[str], Any]:
    """A reader of one number of type `kind` above zero."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r}: give a positive number")
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    """The command line: which scenarios, how much load, where the results go."""
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=DESCRIPTION,
        epilog=epilog(EXIT_CODES, ENVIRONMENT, before=EXAMPLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_version(p)
    _scenario_options(p.add_argument_group("scenarios (comma-separated lists)"))
    _load_options(p.add_argument_group("load"))
    _output_options(p.add_argument_group("output"))
    return p


def _scenario_options(group: argparse._ArgumentGroup) -> None:
    add = group.add_argument
    add(
        "--api",
        type=listed(API_NAMES),
        default=",".join(API_NAMES),
        help="sample APIs (default: %(default)s)",
    )
    add(
        "--cache",
        type=listed(("off", "on")),
        default="off,on",
        help="introspection cache off and/or on (default: %(default)s)",
    )
    add(
        "--cache-ttl",
        type=positive(float),
        default=60.0,
        metavar="S",
        help="INTROSPECTION_CACHE_TTL when the cache is on (default: %(default)s)",
    )
    add(
        "--latency-ms",
        type=milliseconds,
        default="0,50",
        metavar="MS",
        help="latency added by the issuer to introspection (default: %(default)s)",
    )
    add("--tokens", type=listed(TOKEN_MIXES), default=",".join(TOKEN_MIXES),
        help="hot: one token for every request; distinct: a pool of --pool tokens used in "
        "turn (default: %(default)s)")  # fmt: skip


def _load_options(group: argparse._ArgumentGroup) -> None:
    add = group.add_argument
    add(
        "--concurrency",
        type=positive(int),
        default=16,
        metavar="N",
        help="concurrent clients, each with its own connection (default: %(default)s)",
    )
    amount = group.add_mutually_exclusive_group()
    amount.add_argument(
        "--requests",
        type=positive(int),
        default=400,
        metavar="N",
        help="requests per scenario (default: %(default)s)",
    )
    amount.add_argument(
        "--duration",
        type=positive(float),
        metavar="S",
        help="seconds per scenario, instead of --requests",
    )
    add(
        "--pool",
        type=positive(int),
        default=100,
        metavar="N",
        help="tokens in the 'distinct' mix (default: %(default)s)",
    )
    add("--path", default="/api/private",
        help="protected route to call (default: %(default)s)")  # fmt: skip
    add(
        "--load",
        choices=GENERATORS,
        default="auto",
        help="load generator, in a process of its own: wrk, the in-repo driver (python), or "
        "auto: wrk when installed and --duration is given (default: %(default)s)",
    )


def _output_options(group: argparse._ArgumentGroup) -> None:
    add = group.add_argument
    add("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    add("--markdown", action="store_true", help="print the table as Markdown")
    add(
        "--workdir",
        type=Path,
        metavar="DIR",
        help="keep the .env, key files and API logs in DIR (default: a temporary folder, "
        "removed afterwards)",
    )
    add("--list", action="store_true", help="list the scenarios and exit")  # fmt: skip
