"""The result of one scenario and of a whole run, as written by `--json PATH`.

Besides the driver's view (requests/s, latency percentiles, answers by status), each result
says how many RFC 7662 introspection requests (https://www.rfc-editor.org/rfc/rfc7662#section-2)
reached the issuer, which is what a rate limit such as ZITADEL Cloud's 50 requests/s per IP
counts, and what `getrusage` says of the API process: the CPU time it spent per request (its
own cost, whoever else shares the machine) and its peak RSS so far.
"""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from typing import TypedDict

from benchmarks.api_process import ApiUsage
from benchmarks.load import LoadSample
from benchmarks.scenarios import INTROSPECTION_AUTH, Load, Scenario
from benchmarks.stats import LatencySummary, rate

OK_STATUSES = frozenset({"200", "2xx"})
"""Outcomes that are not failures: `2xx` is wrk's count of 2xx and 3xx answers."""


class ScenarioResult(TypedDict):
    """One scenario's measurements (member names are the JSON keys)."""

    scenario: str
    api: str
    introspection_auth: str
    cache_ttl_s: float
    issuer_latency_ms: float
    tokens: str
    distinct_tokens: int
    concurrency: int
    requests: int
    elapsed_s: float
    requests_per_s: float
    latency_ms: LatencySummary
    statuses: dict[str, int]
    introspection_calls: int
    introspections_per_request: float
    api_cpu_ms_per_request: float
    api_peak_rss_mib: float
    issuer_cpu_ms_per_introspection: float | None
    load_generator: str


class RunResult(TypedDict):
    """A whole run: when, where, with which load, and every scenario's result."""

    started: str
    machine: dict[str, str | int | None]
    load: dict[str, str | int | float | None]
    results: list[ScenarioResult]


def scenario_result(
    scenario: Scenario,
    load: Load,
    sample: LoadSample,
    introspection_calls: int,
    api: tuple[ApiUsage, ApiUsage],
    *,
    issuer_cpu_s: float = 0.0,
    generator: str = "python",
) -> ScenarioResult:
    """Combine what the driver, the issuer and the API process (usage before, after) saw."""
    requests = sample.requests
    cpu_ms = (api[1].cpu_s - api[0].cpu_s) * 1000.0
    return ScenarioResult(
        scenario=scenario.name,
        api=scenario.api.app,
        introspection_auth=INTROSPECTION_AUTH[scenario.api.app],
        cache_ttl_s=scenario.api.cache_ttl,
        issuer_latency_ms=scenario.issuer_latency_ms,
        tokens=scenario.tokens,
        distinct_tokens=load.token_count(scenario.tokens),
        concurrency=load.concurrency,
        requests=requests,
        elapsed_s=round(sample.elapsed_s, 3),
        requests_per_s=rate(requests, sample.elapsed_s),
        latency_ms=sample.latency_summary(),
        statuses=dict(sorted(sample.outcomes.items())),
        introspection_calls=introspection_calls,
        introspections_per_request=round(introspection_calls / requests, 3) if requests else 0.0,
        api_cpu_ms_per_request=round(cpu_ms / requests, 3) if requests else 0.0,
        api_peak_rss_mib=round(api[1].peak_rss_kib / 1024, 1),
        issuer_cpu_ms_per_introspection=per(issuer_cpu_s * 1000.0, introspection_calls),
        load_generator=generator,
    )


def per(total: float, count: int) -> float | None:
    """`total / count` to 3 decimals, None when nothing was counted."""
    return round(total / count, 3) if count else None


def run_result(started: datetime, load: Load, results: list[ScenarioResult]) -> RunResult:
    """The document `--json` writes."""
    return RunResult(
        started=started.astimezone(UTC).isoformat(timespec="seconds"),
        machine={
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        load={
            "concurrency": load.concurrency,
            "requests": load.requests,
            "duration_s": load.duration,
            "pool": load.pool,
            "path": load.path,
        },
        results=results,
    )


def failed(result: ScenarioResult) -> bool:
    """Whether any request got something other than 200."""
    return any(status not in OK_STATUSES for status in result["statuses"])
