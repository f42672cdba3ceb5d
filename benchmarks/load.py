"""The in-repo load driver: N concurrent clients, each with its own kept-alive connection,
sending one `Target`'s requests for a number of requests or a fixed time.

Each request carries a token (`Authorization: Bearer <token>`, RFC 6750 §2.1,
https://www.rfc-editor.org/rfc/rfc6750#section-2.1, or an introspection form), tokens taken
round-robin from the pool, so a pool of one is the hot-token case. It runs in a process of its
own (`benchmarks.load_process`), apart from the measured API and the mock issuer. Latency is
timed from sending to the whole body read. Every answer is counted by status, and every
transport failure by its exception's name, so errors are seen in the results rather than hidden
in an average.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import httpx

from benchmarks.scenarios import Load
from benchmarks.stats import LatencySummary, summarize
from benchmarks.target import Target

REQUEST_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class LoadSample:
    """What one run saw: a latency per completed request, outcomes, and the wall time.

    A generator that reports percentiles rather than each latency (wrk) gives `latency`.
    """

    latencies_s: tuple[float, ...]
    outcomes: dict[str, int]
    elapsed_s: float
    latency: LatencySummary | None = None

    def latency_summary(self) -> LatencySummary:
        """The latency percentiles, as reported or computed from the latencies."""
        return self.latency or summarize(self.latencies_s)

    @property
    def requests(self) -> int:
        """Requests sent (answered or failed)."""
        return sum(self.outcomes.values())


@dataclass
class _Tally:
    """Shared by the workers of one run (one event loop, so no lock)."""

    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)


async def drive(target: Target, tokens: Sequence[str], load: Load) -> LoadSample:
    """Send `load` to `target` from `load.concurrency` clients."""
    if not tokens:
        raise ValueError("drive() needs at least one token to send.")
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(_client(target.base_url))
            for _ in range(load.concurrency)
        ]
        await asyncio.gather(*(_open_connection(http, target.warm_path) for http in clients))
        tally, tickets = _Tally(), itertools.count()
        started = time.perf_counter()
        deadline = None if load.duration is None else started + load.duration
        await asyncio.gather(
            *(_worker(http, target, tokens, load, tickets, deadline, tally) for http in clients)
        )
        elapsed = time.perf_counter() - started
    return LoadSample(tuple(tally.latencies), dict(tally.outcomes), elapsed)


def _client(base_url: str) -> httpx.AsyncClient:
    # One client with one connection per simulated user: a pool shared by all of them costs
    # the driver more CPU per request the more connections it holds, which would be measured
    # as the API's latency.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT_S)


async def _open_connection(http: httpx.AsyncClient, path: str) -> None:
    # An unprotected route, so connection setup is not timed as part of the first request.
    answer = await http.get(path)
    if answer.status_code != 200:
        raise RuntimeError(
            f"GET {answer.request.url} answered {answer.status_code} during warm-up: "
            "the API is not serving; see its log file"
        )


async def _worker(
    http: httpx.AsyncClient,
    target: Target,
    tokens: Sequence[str],
    load: Load,
    tickets: itertools.count[int],
    deadline: float | None,
    tally: _Tally,
) -> None:
    for ticket in tickets:
        if load.requests is not None and ticket >= load.requests:
            return
        if deadline is not None and time.perf_counter() >= deadline:
            return
        await _one(http, target, tokens[ticket % len(tokens)], tally)


async def _one(http: httpx.AsyncClient, target: Target, token: str, tally: _Tally) -> None:
    headers, body = target.request_headers(token), target.body(token)
    started = time.perf_counter()
    try:
        response = await http.request(target.method, target.path, headers=headers, content=body)
    except httpx.HTTPError as exc:
        tally.outcomes[type(exc).__name__] += 1
        return
    tally.latencies.append(time.perf_counter() - started)
    tally.outcomes[str(response.status_code)] += 1
