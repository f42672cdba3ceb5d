"""The smallest benchmark runs end to end (issuer, API process, load) and reports its shape.

Only shapes and counts are checked, never timings: speed is what the benchmark reports.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from benchmarks.api_process import ApiProcess
from benchmarks.cli import main
from benchmarks.scenarios import ApiConfig

pytestmark = pytest.mark.e2e
SMALLEST = ["--api", "api_jwt", "--cache", "on", "--latency-ms", "1", "--tokens", "distinct"]
LOAD = ["--pool", "2", "--requests", "6", "--concurrency", "2"]


def test_smallest_run_prints_a_row_and_writes_the_json_result(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = [*SMALLEST, *LOAD, "--json", str(tmp_path / "bench.json"), "--workdir", str(tmp_path)]
    assert main(argv, stdout=out, stderr=err) == 0, err.getvalue()
    [result] = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))["results"]
    assert result["scenario"] == "api_jwt cache=60s latency=1ms tokens=distinct"
    assert result["statuses"] == {"200": 6}
    assert set(result["latency_ms"]) == {"p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms"}
    assert result["requests_per_s"] > 0
    assert result["api_cpu_ms_per_request"] > 0 and result["api_peak_rss_mib"] > 0
    # Two tokens, cached after their first lookup: the issuer sees exactly two introspections.
    assert result["introspection_calls"] == 2
    assert out.getvalue().splitlines()[1].startswith("api_jwt ")
    assert (tmp_path / "api_jwt-cache-60s.log").is_file()


def test_an_api_process_that_cannot_start_is_reported_with_its_log(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("ZITADEL_DOMAIN=http://127.0.0.1:9\n", encoding="utf-8")
    api = ApiProcess(ApiConfig("api_basic_auth", 0.0), env_file, tmp_path / "api.log")
    with pytest.raises(
        RuntimeError,
        match=r"(?s)api_basic_auth-cache-off exited; its log .*API_CLIENT_ID is not set",
    ):
        api.start()
