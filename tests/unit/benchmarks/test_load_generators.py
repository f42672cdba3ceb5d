"""The load generators' inputs and outputs: request shapes, wrk's script and summary, the
in-repo driver's documents, and which generator a run uses. Nothing is sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import load_process, wrk
from benchmarks.load import LoadSample
from benchmarks.loadgen import choose
from benchmarks.scenarios import Load
from benchmarks.target import checked_tokens, introspection, route

SCRIPT = Path("load.lua")
SUMMARY = {
    "requests": 1000, "duration_us": 2_000_000, "connect": 0, "read": 2, "write": 0,
    "timeout": 1, "status": 5, "p50_us": 1500.0, "p95_us": 4000.0, "p99_us": 9000.5,
    "mean_us": 2000.0, "max_us": 15000.0,
}  # fmt: skip


def test_a_route_carries_the_token_as_bearer_and_has_no_body() -> None:
    target = route("http://127.0.0.1:1", "/api/private")
    assert target.url == "http://127.0.0.1:1/api/private"
    assert target.request_headers("abc") == {"Authorization": "Bearer abc"}
    assert target.body("abc") is None


def test_introspection_posts_the_token_in_a_form_with_the_apis_basic_header() -> None:
    target = introspection("http://i", "/oauth/v2/introspect", "Basic eDp5")
    assert target.method == "POST"
    headers = target.request_headers("abc")
    assert headers["Authorization"] == "Basic eDp5"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert target.body("abc") == b"token=abc"
    assert target.warm_path == "/.well-known/openid-configuration"


@pytest.mark.parametrize("token", ['a"b', "a\\b", "a b", "a\nb", ""])
def test_tokens_a_script_could_not_carry_are_refused_without_showing_them(token: str) -> None:
    with pytest.raises(ValueError, match=r"token #1 has characters") as raised:
        checked_tokens(["ok.token-1_~+/=", token])
    assert token not in str(raised.value) or token == ""


def test_the_wrk_script_holds_each_token_and_the_fixed_headers() -> None:
    target = introspection("http://i", "/oauth/v2/introspect", "Basic eDp5")
    script = wrk.script(target, ["tok1", "tok2"])
    assert 'local tokens = {"tok1", "tok2"}' in script
    assert '"POST", "/oauth/v2/introspect", "form"' in script
    assert '["Authorization"] = "Basic eDp5"' in script
    assert wrk.MARK in script


def test_the_wrk_command_runs_for_the_duration_with_the_concurrency() -> None:
    load = Load(concurrency=32, requests=None, duration=8)
    command = wrk.command(route("http://h:1", "/api/public"), load, SCRIPT)
    assert command[:4] == ["wrk", "-t2", "-c32", "-d8s"]
    assert command[-1] == "http://h:1/api/public" and str(SCRIPT) in command


def test_wrk_needs_a_duration() -> None:
    with pytest.raises(ValueError, match="duration"):
        wrk.command(route("http://h", "/"), Load(requests=10), SCRIPT)


def test_wrk_output_gives_outcomes_by_class_errors_by_kind_and_percentiles() -> None:
    output = f"Running 2s test\n  2 threads\n{wrk.MARK}{json.dumps(SUMMARY)}\n"
    sample = wrk.parse(output)
    assert sample.outcomes == {"2xx": 995, "non-2xx": 5, "socket-read": 2, "socket-timeout": 1}
    assert sample.elapsed_s == 2.0
    summary = sample.latency_summary()
    assert (summary["p50_ms"], summary["p99_ms"], summary["max_ms"]) == (1.5, 9.001, 15.0)


def test_wrk_output_without_the_summary_line_is_an_error_that_shows_it() -> None:
    with pytest.raises(ValueError, match=r"(?s)no summary line.*unable to connect"):
        wrk.parse("unable to connect to 127.0.0.1:9 Connection refused\n")


def test_the_in_repo_drivers_documents_round_trip() -> None:
    request = json.loads(load_process.request_document(route("http://h", "/p"), ["t"], Load()))
    assert request["target"]["path"] == "/p" and request["tokens"] == ["t"]
    assert request["load"]["concurrency"] == 16
    sample = LoadSample((0.001, 0.003), {"200": 2}, 0.5)
    assert load_process.read_sample(load_process.sample_document(sample)) == sample


@pytest.mark.parametrize(
    ("requested", "duration", "installed", "chosen"),
    [
        ("auto", 5.0, True, "wrk"),
        ("auto", None, True, "python"),
        ("auto", 5.0, False, "python"),
        ("python", 5.0, True, "python"),
        ("wrk", 5.0, True, "wrk"),
    ],
)
def test_auto_uses_wrk_where_installed_for_timed_runs(
    requested: str, duration: float | None, installed: bool, chosen: str
) -> None:
    load = Load(requests=None if duration else 10, duration=duration)
    assert choose(requested, load, wrk_installed=installed) == chosen


@pytest.mark.parametrize(
    ("duration", "installed", "message"),
    [(5.0, False, "wrk is not installed"), (None, True, "give --duration")],
)
def test_asking_for_wrk_where_it_cannot_run_says_why(
    duration: float | None, installed: bool, message: str
) -> None:
    load = Load(requests=None if duration else 10, duration=duration)
    with pytest.raises(ValueError, match=message):
        choose("wrk", load, wrk_installed=installed)
