"""Pure parts of the benchmarks: percentiles, the scenario plan, the load's rules."""

from __future__ import annotations

import pytest

from benchmarks.scenarios import ApiConfig, Load, Scenario, by_api, plan
from benchmarks.stats import percentile, rate, summarize


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([5.0], 0.5, 5.0),
        ([5.0], 0.99, 5.0),
        ([1.0, 2.0], 0.5, 1.5),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 0.5, 3.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 0.0, 1.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 1.0, 5.0),
        ([float(i) for i in range(1, 101)], 0.95, 95.05),
        ([float(i) for i in range(1, 101)], 0.99, 99.01),
    ],
)
def test_percentile_interpolates_linearly_between_ranks(
    values: list[float], fraction: float, expected: float
) -> None:
    assert percentile(values, fraction) == pytest.approx(expected)


@pytest.mark.parametrize(("values", "fraction"), [([], 0.5), ([1.0], -0.1), ([1.0], 1.5)])
def test_percentile_of_nothing_or_outside_0_to_1_is_an_error(
    values: list[float], fraction: float
) -> None:
    with pytest.raises(ValueError, match="percentile"):
        percentile(values, fraction)


def test_summary_reports_milliseconds_of_unsorted_seconds() -> None:
    summary = summarize([0.003, 0.001, 0.002, 0.010])
    assert summary["p50_ms"] == pytest.approx(2.5)
    assert summary["mean_ms"] == pytest.approx(4.0)
    assert summary["max_ms"] == pytest.approx(10.0)
    assert summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"] <= 10.0  # type: ignore[operator]


def test_summary_of_no_completed_request_has_no_numbers() -> None:
    assert set(summarize([]).values()) == {None}


@pytest.mark.parametrize(("count", "elapsed", "expected"), [(100, 2.0, 50.0), (5, 0.0, 0.0)])
def test_rate_is_count_per_second_and_zero_without_time(
    count: int, elapsed: float, expected: float
) -> None:
    assert rate(count, elapsed) == expected


def test_plan_is_every_combination_grouped_by_api_process() -> None:
    scenarios = plan(["api_jwt", "api_basic_auth"], [0.0, 60.0], [0.0, 50.0], ["hot", "distinct"])
    assert len(scenarios) == 16
    groups = by_api(scenarios)
    assert list(groups) == [
        ApiConfig("api_jwt", 0.0),
        ApiConfig("api_jwt", 60.0),
        ApiConfig("api_basic_auth", 0.0),
        ApiConfig("api_basic_auth", 60.0),
    ]
    assert all(len(group) == 4 for group in groups.values())
    # One API process serves its scenarios in a row, so it is started once.
    assert [s.api for s in scenarios] == [c for c in groups for _ in range(4)]


@pytest.mark.parametrize(
    ("scenario", "name", "label"),
    [
        (
            Scenario(ApiConfig("api_jwt", 0.0), 50.0, "hot"),
            "api_jwt cache=off latency=50ms tokens=hot",
            "api_jwt-cache-off",
        ),
        (
            Scenario(ApiConfig("api_basic_auth", 60.0), 0.0, "distinct"),
            "api_basic_auth cache=60s latency=0ms tokens=distinct",
            "api_basic_auth-cache-60s",
        ),
    ],
)
def test_scenario_names_say_api_cache_latency_and_tokens(
    scenario: Scenario, name: str, label: str
) -> None:
    assert scenario.name == name
    assert scenario.api.label == label


def test_hot_mix_uses_one_token_and_distinct_the_pool() -> None:
    load = Load(pool=7)
    assert (load.token_count("hot"), load.token_count("distinct")) == (1, 7)


@pytest.mark.parametrize(
    "options",
    [
        {"requests": None, "duration": None},
        {"requests": 10, "duration": 1.0},
        {"concurrency": 0},
        {"pool": 0},
    ],
)
def test_load_needs_one_amount_and_positive_sizes(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="Load needs"):
        Load(**options)  # type: ignore[arg-type]
