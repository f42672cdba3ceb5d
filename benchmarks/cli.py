"""`python -m benchmarks`: choose scenarios and load, run them, print the table, write JSON.

Every option has a default, and the defaults (2 APIs, cache off/on, issuer latency 0/50 ms,
hot/distinct tokens: 16 scenarios of 400 requests) finish in about half a minute on 2 cores.
The scenarios measure an RFC 6750 resource server that introspects each token (RFC 7662,
https://www.rfc-editor.org/rfc/rfc7662).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import TextIO, cast

from benchmarks.loadgen import choose
from benchmarks.options import parser
from benchmarks.report import markdown, table, write_json
from benchmarks.results import failed, run_result
from benchmarks.runner import run
from benchmarks.scenarios import ApiName, Load, Scenario, TokenMix, plan
from oauthkit.commands import exit_quietly_on_closed_stdout


def main(argv: Sequence[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; 0 when every request got 200, 1 otherwise, 2 on usage errors."""
    args = parser().parse_args(argv)
    return exit_quietly_on_closed_stdout(
        lambda: _run(args, stdout or sys.stdout, stderr or sys.stderr)
    )


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scenarios = _scenarios(args)
    if args.list:
        print("\n".join(s.name for s in scenarios), file=out)
        return 0
    requests = None if args.duration else args.requests
    load = Load(args.concurrency, requests, args.duration, args.pool, args.path)
    try:
        generator = choose(args.load, load)
    except ValueError as exc:
        print(f"python -m benchmarks: {exc}", file=err)
        return 2
    started = datetime.now()
    progress = _progress(err)
    progress(f"load generator: {generator}")
    with _workdir(args.workdir) as workdir:
        results = run(scenarios, load, workdir, progress, generator)
    print(markdown(results) if args.markdown else table(results), file=out)
    if args.json:
        write_json(args.json, run_result(started, load, results))
        print(f"results written to {args.json}", file=err)
    return _verdict(sum(map(failed, results)), err)


def _progress(err: TextIO) -> Callable[[str], None]:
    return lambda line: print(line, file=err, flush=True)


def _scenarios(args: argparse.Namespace) -> list[Scenario]:
    ttls = [0.0 if cache == "off" else args.cache_ttl for cache in args.cache]
    apis, mixes = cast(list[ApiName], args.api), cast(list[TokenMix], args.tokens)
    return plan(apis, ttls, args.latency_ms, mixes)


def _workdir(chosen: Path | None) -> AbstractContextManager[Path]:
    if chosen is None:
        return _temporary()
    chosen.mkdir(parents=True, exist_ok=True)
    return nullcontext(chosen)


@contextmanager
def _temporary() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="benchmarks-") as name:
        yield Path(name)


def _verdict(failures: int, err: TextIO) -> int:
    if failures == 0:
        return 0
    print(
        f"{failures} scenario(s) had answers other than 200 (see statuses): their numbers "
        "measure errors, not the API. Rerun with --workdir DIR to keep the APIs' logs.",
        file=err,
    )
    return 1
