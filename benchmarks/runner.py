"""Run scenarios: the mock issuer in this process, each API in its own, the load from here.

The mock issuer (a real server on a free loopback port) is provisioned once and writes the
`.env` both APIs read. Each API configuration (sample and cache TTL) is one child process, which
serves the scenarios that share it: issuer latency is switched on the issuer (its `LATENCY`
fault on the introspection endpoint, RFC 7662 §2.1,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1), and each scenario uses fresh tokens so an
API's cache starts cold for them. The issuer's count of introspection requests is read before
and after the timed part, after a warm-up that did the API's discovery and opened its
connections.
"""

from __future__ import annotations

import asyncio
import resource
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from benchmarks.api_process import ApiProcess
from benchmarks.load import drive
from benchmarks.loadgen import Generator, generate
from benchmarks.results import ScenarioResult, scenario_result
from benchmarks.scenarios import Load, Scenario, by_api
from benchmarks.target import route
from benchmarks.tokens import fresh_tokens
from mock_issuer import FaultKind, MockIssuer

Progress = Callable[[str], None]


def run(
    scenarios: Sequence[Scenario],
    load: Load,
    workdir: Path,
    progress: Progress,
    generator: Generator = "python",
) -> list[ScenarioResult]:
    """Measure every scenario; `workdir` holds the `.env`, key files and the APIs' logs."""
    results: list[ScenarioResult] = []
    with MockIssuer() as issuer:
        env_file = issuer.provision().write_env(workdir)
        for config, group in by_api(scenarios).items():
            with ApiProcess(config, env_file, workdir / f"{config.label}.log") as api:
                _warm_up(api, env_file, load)
                for scenario in group:
                    progress(f"[{len(results) + 1}/{len(scenarios)}] {scenario.name}")
                    results.append(measure(issuer, api, env_file, scenario, load, generator))
    return results


def measure(
    issuer: MockIssuer,
    api: ApiProcess,
    env_file: Path,
    scenario: Scenario,
    load: Load,
    generator: Generator = "python",
) -> ScenarioResult:
    """One scenario against a running API: fresh tokens, timed load, counted introspections.

    The mock issuer serves in this process, which only waits while the load runs elsewhere, so
    this process's CPU time over the timed part is the issuer's.
    """
    tokens = fresh_tokens(env_file, load.token_count(scenario.tokens))
    target = route(api.url, load.path)
    with _issuer_latency(issuer, scenario.issuer_latency_ms):
        calls, usage, own = issuer.introspection_calls, api.usage(), own_cpu_s()
        sample = generate(generator, target, tokens, load, api.workdir)
        own, calls = own_cpu_s() - own, issuer.introspection_calls - calls
        usage_after = api.usage()
    return scenario_result(
        scenario,
        load,
        sample,
        calls,
        (usage, usage_after),
        issuer_cpu_s=own,
        generator=generator,
    )


def own_cpu_s() -> float:
    """This process's CPU seconds (user + system, all threads) so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _warm_up(api: ApiProcess, env_file: Path, load: Load) -> None:
    # Throw-away tokens, one per client: the API discovers the issuer's endpoints and opens its
    # connections to the issuer before anything is timed.
    warm = Load(concurrency=load.concurrency, requests=2 * load.concurrency, path=load.path)
    asyncio.run(drive(route(api.url, load.path), fresh_tokens(env_file, load.concurrency), warm))


def _issuer_latency(issuer: MockIssuer, latency_ms: float) -> AbstractContextManager[object]:
    if latency_ms <= 0:
        return nullcontext()
    return issuer.fault(FaultKind.LATENCY, endpoint="introspect", seconds=latency_ms / 1000.0)
