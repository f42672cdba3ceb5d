"""A scenario's result from what the driver, issuer and API process saw; the table and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.api_process import ApiUsage
from benchmarks.load import LoadSample
from benchmarks.report import COLUMNS, markdown, table, write_json
from benchmarks.results import ScenarioResult, failed, run_result, scenario_result
from benchmarks.scenarios import ApiConfig, Load, Scenario

SCENARIO = Scenario(ApiConfig("api_jwt", 60.0), 50.0, "distinct")
LOAD = Load(concurrency=4, requests=10, pool=5)


def _result(
    outcomes: dict[str, int], latencies: tuple[float, ...] = (0.01,) * 10
) -> ScenarioResult:
    sample = LoadSample(latencies, outcomes, elapsed_s=2.0)
    usage = (ApiUsage(cpu_s=1.0, peak_rss_kib=60_000), ApiUsage(cpu_s=1.02, peak_rss_kib=64_512))
    return scenario_result(SCENARIO, LOAD, sample, introspection_calls=5, api=usage)


def test_result_combines_driver_issuer_and_api_process_measurements() -> None:
    result = _result({"200": 10})
    assert result["api"] == "api_jwt" and result["introspection_auth"] == "private_key_jwt"
    assert (result["cache_ttl_s"], result["issuer_latency_ms"]) == (60.0, 50.0)
    assert (result["tokens"], result["distinct_tokens"]) == ("distinct", 5)
    assert (result["requests"], result["requests_per_s"]) == (10, 5.0)
    assert result["introspection_calls"] == 5
    assert result["introspections_per_request"] == 0.5
    assert result["api_cpu_ms_per_request"] == pytest.approx(2.0)
    assert result["api_peak_rss_mib"] == 63.0
    assert result["latency_ms"]["p50_ms"] == pytest.approx(10.0)


def test_transport_failures_count_as_requests_without_a_latency() -> None:
    result = _result({"200": 8, "ReadTimeout": 2}, latencies=(0.01,) * 8)
    assert result["requests"] == 10
    assert result["statuses"] == {"200": 8, "ReadTimeout": 2}
    assert failed(result)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [({"200": 3}, False), ({"200": 2, "503": 1}, True), ({"401": 3}, True)],
)
def test_a_scenario_failed_when_any_answer_was_not_200(
    outcomes: dict[str, int], expected: bool
) -> None:
    assert failed(_result(outcomes)) is expected


def test_table_has_a_header_and_one_aligned_row_per_scenario() -> None:
    lines = table([_result({"200": 10}), _result({"200": 9, "503": 1})]).splitlines()
    assert len(lines) == 3
    assert lines[0].split()[:2] == ["api", "cache"]
    assert "200:9 503:1" in lines[2]
    # Right-aligned last column: every line ends where the widest cell ends.
    assert len({len(line) for line in lines}) == 1


def test_markdown_table_has_a_separator_row_and_every_column() -> None:
    lines = markdown([_result({"200": 10})]).splitlines()
    assert len(lines) == 3
    assert lines[1].count("|") == len(COLUMNS) + 1
    assert lines[2].startswith("| api_jwt | 60s | 50 | distinct(5) | 10 |")


def test_json_document_holds_machine_load_and_results(tmp_path: Path) -> None:
    path = tmp_path / "out" / "bench.json"
    started = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    write_json(path, run_result(started, LOAD, [_result({"200": 10})]))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["started"] == "2030-01-02T03:04:05+00:00"
    assert document["machine"]["cpus"] >= 1
    assert document["load"] == {
        "concurrency": 4, "requests": 10, "duration_s": None, "pool": 5, "path": "/api/private"
    }  # fmt: skip
    assert document["results"][0]["scenario"] == SCENARIO.name
