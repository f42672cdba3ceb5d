"""Issue 12's goals judged from runs: medians with their spread, ratios, the Markdown tables."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.goals import (
    ProbeKind,
    ProbeRun,
    answered_as_owed,
    evaluate,
    goals_markdown,
    metric,
    probes_markdown,
    report,
    spread,
)


def run(api: str, kind: ProbeKind, cpu: float, p99: float = 10.0, rss: float = 70.0) -> ProbeRun:
    return ProbeRun(
        api=api, kind=kind, requests=100, requests_per_s=1000.0, p50_ms=1.0, p99_ms=p99,
        statuses={"2xx": 100}, introspections=0, cpu_ms_per_request=cpu, rss_mib=rss,
        issuer_cpu_ms_per_call=None, loadavg_before="1.00 1.00 1.00", loadavg_after=None,
    )  # fmt: skip


RUNS = [
    run("api_basic_auth", "public", 0.10, p99=10.0),
    run("api_basic_auth", "public", 0.12, p99=12.0),
    run("api_basic_auth", "public", 0.30, p99=40.0),
    run("api_basic_auth", "private", 1.0),
    run("api_basic_auth", "private", 1.2),
    run("api_basic_auth", "private", 9.0),
    run("api_basic_auth", "cached", 0.14, p99=20.0),
    run("api_jwt", "private", 1.7, rss=90.0),
    run("api_jwt", "public", 0.1),
]


def by_goal(sign_ms: float = 0.3) -> dict[str, Any]:
    return {r.goal.split(" (")[0]: r for r in evaluate(RUNS, sign_ms)}


def test_spread_is_the_median_with_the_lowest_and_highest_run() -> None:
    assert spread([3.0, 1.0, 2.0, 10.0]) == {"median": 2.5, "low": 1.0, "high": 10.0, "runs": 4}
    with pytest.raises(ValueError, match="no runs"):
        spread([])


def test_a_metric_reads_only_its_probes_runs() -> None:
    cpu = metric(RUNS, "api_basic_auth", "private", lambda r: r["cpu_ms_per_request"])
    assert cpu == {"median": 1.2, "low": 1.0, "high": 9.0, "runs": 3}
    assert metric(RUNS, "api_local_jwt", "private", lambda r: r["p99_ms"]) is None


def test_one_disturbed_run_does_not_fail_a_goal_judged_on_the_median() -> None:
    goal = by_goal()["api_basic_auth: introspected request, cache off, distinct tokens"]
    assert goal.met is True and goal.measured["high"] == 9.0


def test_api_jwt_may_spend_one_assertion_more_than_api_basic_auth() -> None:
    goal = by_goal(sign_ms=0.3)["api_jwt: introspected request, cache off, distinct tokens"]
    assert goal.limit == 1.6 and goal.met is False
    assert by_goal(sign_ms=0.5)["api_jwt: introspected request, cache off, distinct tokens"].met


def test_cached_goals_are_ratios_to_the_public_route_of_the_same_api() -> None:
    goals = by_goal()
    cpu = goals["api_basic_auth: cached request / public route"]
    assert cpu.measured["median"] == pytest.approx(0.14 / 0.12, abs=0.001)
    assert cpu.met is True
    p99 = goals["api_basic_auth: p99 latency, cached request / public route"]
    assert p99.measured["median"] == pytest.approx(20.0 / 12.0, abs=0.001) and p99.met is True


def test_an_api_without_cached_runs_has_no_cached_goal_and_rss_is_judged_per_api() -> None:
    goals = by_goal()
    assert "api_jwt: cached request / public route" not in goals
    assert (
        goals["api_jwt: peak resident size under load and hostile answers, highest run"].met
        is False
    )
    assert (
        goals["api_basic_auth: peak resident size under load and hostile answers, highest run"].met
        is True
    )


def test_unmeasured_goals_are_neither_met_nor_failed() -> None:
    [basic, *_] = evaluate([run("api_jwt", "public", 0.1)], 0.3)
    assert basic.measured is None and basic.met is None
    assert "| not measured | - |" in goals_markdown([basic])


def test_goals_table_shows_limit_median_spread_and_verdict() -> None:
    table = goals_markdown(evaluate(RUNS, 0.3)).splitlines()
    assert table[0].startswith("| goal | limit |")
    assert (
        "| api_basic_auth: public route (CPU ms/req) | 0.4 ms | 0.12 (0.10-0.30, 3 runs) | met |"
        in table
    )


def test_probe_table_has_one_row_per_probe_in_first_seen_order() -> None:
    rows = probes_markdown(RUNS).splitlines()[2:]
    assert [row.split(" | ")[:3] for row in rows] == [
        ["| api_basic_auth", "public", "3"],
        ["| api_basic_auth", "private", "3"],
        ["| api_basic_auth", "cached", "1"],
        ["| api_jwt", "private", "1"],
        ["| api_jwt", "public", "1"],
    ]
    assert "0.12 (0.10-0.30)" in rows[0] and "| - |" in rows[0]


def test_the_report_names_machine_load_versions_and_generator() -> None:
    document = {
        "machine": {"cpus": 2, "cpu_model": "CPU X", "platform": "Linux", "python": "3.11.7",
                    "packages": {"uvicorn": "0.54.0", "uvloop": None}, "wrk": None,
                    "loadavg": "0.50 0.40 0.30"},
        "loadavg_after": "0.90 0.50 0.30",
        "load": {"generator": "python", "concurrency": 32, "duration_s": 5.0, "pool": 100,
                 "repeat": 3},
        "signature": {"assertion_ms": 0.25},
        "runs": RUNS,
    }  # fmt: skip
    text = report(document)
    assert "2 x CPU X" in text and "0.50 0.40 0.30 before, 0.90 0.50 0.30 after" in text
    assert "uvicorn 0.54.0" in text and "uvloop" not in text
    assert "Load: python (wrk not installed), 32 connections, 5 s per run, 3 runs" in text
    assert "One RS256 client assertion: 0.250 ms" in text


@pytest.mark.parametrize(
    ("kind", "statuses", "owed"),
    [
        ("private", {"200": 5}, True),
        ("private", {"2xx": 5}, True),
        ("private", {"200": 4, "503": 1}, False),
        ("hostile", {"503": 5}, True),
        ("hostile", {"non-2xx": 5}, True),
        ("hostile", {"503": 4, "200": 1}, False),
    ],
)
def test_hostile_probes_owe_refusals_the_others_successes(
    kind: ProbeKind, statuses: dict[str, int], owed: bool
) -> None:
    assert answered_as_owed(run("api_jwt", kind, 1.0) | {"statuses": statuses}) is owed  # type: ignore[operator]
