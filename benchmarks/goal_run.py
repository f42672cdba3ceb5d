"""`python -m benchmarks.goal_run`: issue 12's goals measured, each probe repeated (see `--help`).

Per API: its public route (the floor), its protected route with the cache off and a pool of
distinct tokens (one RFC 7662 introspection per request,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1; `api_local_jwt` validates the JWT itself),
and, for the introspecting APIs, the protected route while the issuer sends hostile answers
(30 MiB of JSON, a gzip bomb: memory must stay bounded, every answer a refusal) and with one
token already in the cache. Then the mock issuer's introspection endpoint loaded directly, as
an API calls it. Every probe runs
`--repeat` times, interleaved with its sibling probes so that a slow minute on the shared
machine does not fall on one probe only. Prints the probes and the goals as Markdown, with the
machine, the versions and its load average before and after; `--json` keeps every run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from benchmarks import machine
from benchmarks.api_process import ApiProcess
from benchmarks.goals import (
    SIGNATURES,
    ProbeKind,
    ProbeRun,
    answered_as_owed,
    report,
)
from benchmarks.load import drive
from benchmarks.loadgen import CHOICES, Generator, choose, generate
from benchmarks.options import listed, positive
from benchmarks.runner import own_cpu_s
from benchmarks.scenarios import SERVED_APIS, ApiConfig, ApiName, Load
from benchmarks.stats import rate
from benchmarks.target import Target, introspection, route
from benchmarks.tokens import fresh_tokens
from mock_issuer import LieKind, MockIssuer
from oauthkit import EnvSource, basic_authorization, client_assertion, load_jwt_api_settings

Progress = Callable[[str], None]
CACHE_TTL_S = 60.0
HOSTILE = (LieKind.HUGE_BODY, LieKind.COMPRESSED_BOMB)
"""Answers that test the API's memory: 30 MiB of JSON, and gzip that expands to 200 MiB."""


class Bench:
    """What every probe shares: the load, the generator, the folder, the progress line."""

    def __init__(self, load: Load, generator: Generator, workdir: Path, progress: Progress):
        self.load, self.generator, self.workdir, self.progress = load, generator, workdir, progress
        self.runs: list[ProbeRun] = []

    def probe(
        self,
        kind: ProbeKind,
        api: str,
        target: Target,
        tokens: list[str],
        issuer: MockIssuer,
        process: ApiProcess | None,
    ) -> None:
        """One timed run; the CPU is the API process's, or this one's for the mock issuer."""
        done = sum(r["api"] == api and r["kind"] == kind for r in self.runs)
        self.progress(f"{api} {kind} (run {done + 1})")
        before, calls, own = machine.loadavg(), issuer.introspection_calls, own_cpu_s()
        usage = process.usage() if process else None
        sample = generate(self.generator, target, tokens, self.load, self.workdir)
        own, calls = own_cpu_s() - own, issuer.introspection_calls - calls
        after = process.usage() if process else None
        requests, latency = max(sample.requests, 1), sample.latency_summary()
        cpu_s = after.cpu_s - usage.cpu_s if after and usage else own
        self.runs.append(
            ProbeRun(
                api=api,
                kind=kind,
                requests=sample.requests,
                requests_per_s=rate(sample.requests, sample.elapsed_s),
                p50_ms=latency["p50_ms"],
                p99_ms=latency["p99_ms"],
                statuses=dict(sorted(sample.outcomes.items())),
                introspections=calls,
                cpu_ms_per_request=round(cpu_s * 1000.0 / requests, 3),
                rss_mib=round(after.peak_rss_kib / 1024, 1) if after else None,
                issuer_cpu_ms_per_call=round(own * 1000.0 / calls, 3) if calls else None,
                loadavg_before=before,
                loadavg_after=machine.loadavg(),
            )
        )


def measure_api(bench: Bench, app: ApiName, issuer: MockIssuer, env: Path, repeat: int) -> None:
    """The public route, the checked route (cache off, distinct tokens), the cached route."""
    off = ApiConfig(app, 0.0)
    with ApiProcess(off, env, bench.workdir / f"{off.label}.log") as api:
        _warm(api.url, fresh_tokens(env, bench.load.concurrency), bench.load.concurrency)
        for _ in range(repeat):
            tokens = fresh_tokens(env, bench.load.pool)
            bench.probe("public", app, route(api.url, "/api/public"), tokens, issuer, api)
            bench.probe("private", app, route(api.url, "/api/private"), tokens, issuer, api)
        if app == "api_local_jwt":
            return
        for lie in HOSTILE:
            with issuer.lie(lie):
                tokens = fresh_tokens(env, bench.load.pool)
                bench.probe("hostile", app, route(api.url, "/api/private"), tokens, issuer, api)
    on = ApiConfig(app, CACHE_TTL_S)
    with ApiProcess(on, env, bench.workdir / f"{on.label}.log") as api:
        hot = fresh_tokens(env, 1)
        _warm(api.url, hot, 1)
        for _ in range(repeat):
            bench.probe("cached", app, route(api.url, "/api/private"), hot, issuer, api)


def _measure_local_jwt(bench: Bench, workdir: Path, repeat: int) -> None:
    # api_local_jwt needs JWT access tokens: an issuer of its own, provisioned for them.
    with MockIssuer() as issuer:
        env = issuer.provision("jwt").write_env(workdir / "jwt")
        measure_api(bench, "api_local_jwt", issuer, env, repeat)


def measure_issuer(bench: Bench, issuer: MockIssuer, env: Path, repeat: int) -> None:
    """The mock issuer's introspection endpoint, called as api_basic_auth calls it."""
    world = issuer.provision()
    app = world.api_basic_app
    header = basic_authorization(app.client_id, app.client_secret or "")
    path = issuer.introspection_endpoint.removeprefix(issuer.issuer)
    target = introspection(issuer.issuer, path, header)
    for _ in range(repeat):
        tokens = fresh_tokens(env, bench.load.pool)
        bench.probe("introspection", "mock_issuer", target, tokens, issuer, None)


def assertion_cost_ms(env: Path, issuer_url: str, count: int = SIGNATURES) -> dict[str, float]:
    """Median cost of one whole RS256 client assertion (claims, jti, JSON, signature) in ms."""
    settings = load_jwt_api_settings(EnvSource.load(env, {}, required=True))
    times = []
    for _ in range(count):
        started = time.perf_counter()
        client_assertion(settings.credentials, issuer_url, time.time(), settings.assertion)
        times.append(time.perf_counter() - started)
    return {"assertion_ms": round(statistics.median(times) * 1000.0, 3)}


def run(args: argparse.Namespace, workdir: Path, progress: Progress) -> dict[str, Any]:
    """Every probe of the chosen APIs, then the mock issuer; the document `--json` writes."""
    load = Load(concurrency=args.concurrency, requests=None, duration=args.duration, pool=args.pool)
    generator = choose(args.load, load)
    bench = Bench(load, generator, workdir, progress)
    started, before = datetime.now(UTC), machine.describe()
    progress(f"load generator: {generator}; load average: {before['loadavg']}")
    with MockIssuer() as opaque:
        env = opaque.provision().write_env(workdir / "opaque")
        sign = assertion_cost_ms(env, opaque.issuer)
        for app in cast(list[ApiName], args.api):
            if app == "api_local_jwt":
                _measure_local_jwt(bench, workdir, args.repeat)
            else:
                measure_api(bench, app, opaque, env, args.repeat)
        measure_issuer(bench, opaque, env, args.repeat)
    return {
        "started": started.isoformat(timespec="seconds"),
        "machine": before,
        "loadavg_after": machine.loadavg(),
        "load": {"generator": generator, "concurrency": load.concurrency,
                 "duration_s": load.duration, "pool": load.pool, "repeat": args.repeat},
        "signature": sign,
        "runs": bench.runs,
    }  # fmt: skip


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.goal_run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    add = p.add_argument
    add("--api", type=listed(SERVED_APIS), default=",".join(SERVED_APIS),
        help="sample APIs (default: %(default)s)")  # fmt: skip
    add("--repeat", type=positive(int), default=3, metavar="N", help="runs per probe (%(default)s)")
    add("--duration", type=positive(float), default=5.0, metavar="S",
        help="seconds per run (default: %(default)s)")  # fmt: skip
    add("--concurrency", type=positive(int), default=32, metavar="N",
        help="connections (default: %(default)s, as wrk -c32)")  # fmt: skip
    add("--pool", type=positive(int), default=100, metavar="N",
        help="distinct tokens (default: %(default)s)")  # fmt: skip
    add("--load", choices=CHOICES, default="auto", help="load generator (default: %(default)s)")
    add("--json", type=Path, metavar="PATH", help="also write every run as JSON to PATH")
    return p


def main(argv: Sequence[str], stdout: Any = None, stderr: Any = None) -> int:
    """Run; 0 when every answer was a success, 1 otherwise, 2 on usage errors."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = parser().parse_args(argv)
    try:
        choose(args.load, Load(requests=None, duration=args.duration))
    except ValueError as exc:
        print(f"python -m benchmarks.goal_run: {exc}", file=err)
        return 2
    with tempfile.TemporaryDirectory(prefix="benchmarks-goals-") as name:
        document = run(args, Path(name), lambda line: print(line, file=err, flush=True))
    print(report(document), file=out)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    failures = [r for r in document["runs"] if not answered_as_owed(r)]
    for failure in failures:
        print(f"{failure['api']} {failure['kind']}: answers {failure['statuses']}", file=err)
    return 1 if failures else 0


def _warm(url: str, tokens: list[str], concurrency: int) -> None:
    # The API discovers the issuer and opens its connections (or fills its cache) untimed.
    warm = Load(concurrency=concurrency, requests=2 * max(len(tokens), concurrency))
    asyncio.run(drive(route(url, "/api/private"), tokens, warm))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
