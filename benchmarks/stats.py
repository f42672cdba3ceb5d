"""Latency percentiles and throughput of one measured run.

Percentiles interpolate linearly between the two nearest ranks (numpy's default method, and
the "inclusive" one of Python's `statistics.quantiles`), so p99 of 400 samples is not simply the
4th-slowest. The requests measured are RFC 6750 §2.1 bearer requests
(https://www.rfc-editor.org/rfc/rfc6750#section-2.1) to a protected route.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypedDict


class LatencySummary(TypedDict):
    """Latencies of the completed requests, in milliseconds (None when there were none)."""

    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    mean_ms: float | None
    max_ms: float | None


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The `fraction` (0..1) quantile of non-empty ascending `ordered`, linearly interpolated."""
    if not ordered:
        raise ValueError("percentile of no values: measure at least one request.")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"percentile fraction must lie in [0, 1], got {fraction}.")
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def summarize(latencies_s: Sequence[float]) -> LatencySummary:
    """p50, p95, p99, mean and max of latencies given in seconds, reported in milliseconds."""
    ordered = sorted(latencies_s)
    if not ordered:
        return LatencySummary(p50_ms=None, p95_ms=None, p99_ms=None, mean_ms=None, max_ms=None)

    def ms(seconds: float) -> float:
        return round(seconds * 1000.0, 3)

    return LatencySummary(
        p50_ms=ms(percentile(ordered, 0.50)),
        p95_ms=ms(percentile(ordered, 0.95)),
        p99_ms=ms(percentile(ordered, 0.99)),
        mean_ms=ms(sum(ordered) / len(ordered)),
        max_ms=ms(ordered[-1]),
    )


def rate(count: int, elapsed_s: float) -> float:
    """`count` per second over `elapsed_s` (0 when nothing was timed)."""
    return round(count / elapsed_s, 1) if elapsed_s > 0 else 0.0
