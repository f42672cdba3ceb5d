"""The terminal table of a run and the `--json` file.

One row per scenario: the API and its introspection client authentication (RFC 7662 §2.1,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1), cache, issuer latency, token mix, then
what was measured. `introspections` is the number of requests that reached the issuer; with the
requests column beside it, it shows what the cache and coalescing saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.results import RunResult, ScenarioResult

Column = tuple[str, Callable[[ScenarioResult], str]]


def _ms(value: float | None) -> str:
    # One decimal: latencies on loopback vary far more than 0.1 ms between runs.
    return "-" if value is None else f"{value:.1f}"


def _cpu(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


COLUMNS: tuple[Column, ...] = (
    ("api", lambda r: r["api"]),
    ("cache", lambda r: "off" if r["cache_ttl_s"] <= 0 else f"{r['cache_ttl_s']:g}s"),
    ("issuer +ms", lambda r: f"{r['issuer_latency_ms']:g}"),
    ("tokens", lambda r: f"{r['tokens']}({r['distinct_tokens']})"),
    ("requests", lambda r: str(r["requests"])),
    ("req/s", lambda r: f"{r['requests_per_s']:.0f}"),
    ("p50 ms", lambda r: _ms(r["latency_ms"]["p50_ms"])),
    ("p95 ms", lambda r: _ms(r["latency_ms"]["p95_ms"])),
    ("p99 ms", lambda r: _ms(r["latency_ms"]["p99_ms"])),
    ("statuses", lambda r: " ".join(f"{k}:{v}" for k, v in r["statuses"].items())),
    ("introspections", lambda r: str(r["introspection_calls"])),
    ("API CPU ms/req", lambda r: f"{r['api_cpu_ms_per_request']:.2f}"),
    ("API RSS MiB", lambda r: _ms(r["api_peak_rss_mib"])),
    ("issuer CPU ms/call", lambda r: _cpu(r.get("issuer_cpu_ms_per_introspection"))),
)
_LEFT = {"api", "cache", "tokens", "statuses"}


def table(results: Sequence[ScenarioResult]) -> str:
    """A plain-text table, one row per scenario, columns padded to fit."""
    rows = [[name for name, _ in COLUMNS]]
    rows += [[cell(result) for _, cell in COLUMNS] for result in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join(_line(row, widths) for row in rows)


def markdown(results: Sequence[ScenarioResult]) -> str:
    """The same table in Markdown (for a README)."""
    header = [name for name, _ in COLUMNS]
    align = [":--" if name in _LEFT else "--:" for name in header]
    rows = [header, align, *([cell(r) for _, cell in COLUMNS] for r in results)]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def write_json(path: Path, run: RunResult) -> None:
    """Write the run as indented JSON, creating the parent folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")


def _line(row: Sequence[str], widths: Sequence[int]) -> str:
    cells = (
        value.ljust(width) if name in _LEFT else value.rjust(width)
        for (name, _), value, width in zip(COLUMNS, row, widths, strict=True)
    )
    return "  ".join(cells).rstrip()
