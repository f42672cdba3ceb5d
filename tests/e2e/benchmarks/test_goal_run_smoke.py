"""The smallest goals run end to end (issuer, one API, the in-repo load in a child process).

Only shapes are checked, never timings: speed is what the run reports.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from benchmarks.goal_run import main

pytestmark = pytest.mark.e2e


def test_smallest_goals_run_prints_probes_and_goals_and_writes_every_run(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    json_path = tmp_path / "goals.json"
    argv = ["--api", "api_basic_auth", "--repeat", "1", "--duration", "0.3", "--concurrency",
            "2", "--pool", "2", "--load", "python", "--json", str(json_path)]  # fmt: skip
    assert main(argv, stdout=out, stderr=err) == 0, err.getvalue()
    document = json.loads(json_path.read_text(encoding="utf-8"))
    probes = [(r["api"], r["kind"]) for r in document["runs"]]
    assert probes == [
        ("api_basic_auth", "public"),
        ("api_basic_auth", "private"),
        ("api_basic_auth", "hostile"),
        ("api_basic_auth", "hostile"),
        ("api_basic_auth", "cached"),
        ("mock_issuer", "introspection"),
    ]
    for run in document["runs"]:
        assert set(run["statuses"]) == ({"503"} if run["kind"] == "hostile" else {"200"})
    assert document["load"]["generator"] == "python"
    assert document["machine"]["loadavg"] and document["signature"]["assertion_ms"] > 0
    text = out.getvalue()
    assert "| api_basic_auth | cached | 1 |" in text
    assert "api_basic_auth: introspected request, cache off, distinct tokens" in text
