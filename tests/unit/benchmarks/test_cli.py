"""The command line's options, without running anything."""

from __future__ import annotations

import io

import pytest

from benchmarks.cli import main
from benchmarks.options import parser


def test_defaults_are_the_sixteen_scenarios() -> None:
    out = io.StringIO()
    assert main(["--list"], stdout=out) == 0
    names = out.getvalue().splitlines()
    assert len(names) == 16
    assert names[0] == "api_jwt cache=off latency=0ms tokens=hot"
    assert names[-1] == "api_basic_auth cache=60s latency=50ms tokens=distinct"


def test_lists_choose_the_scenarios_and_cache_on_uses_the_ttl() -> None:
    out = io.StringIO()
    argv = ["--api", "api_basic_auth", "--cache", "on", "--cache-ttl", "5", "--latency-ms", "200"]
    assert main([*argv, "--tokens", "hot", "--list"], stdout=out) == 0
    assert out.getvalue() == "api_basic_auth cache=5s latency=200ms tokens=hot\n"


def test_defaults_drive_400_requests_from_16_clients() -> None:
    args = parser().parse_args([])
    assert (args.requests, args.duration, args.concurrency, args.pool) == (400, None, 16, 100)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--api", "api_other"], "comma-separated list of api_jwt, api_basic_auth"),
        (["--cache", "maybe"], "comma-separated list of off, on"),
        (["--tokens", ""], "comma-separated list of hot, distinct"),
        (["--latency-ms", "fast"], "give milliseconds like 0,50"),
        (["--latency-ms", "-5"], "give milliseconds like 0,50"),
        (["--concurrency", "0"], "give a positive number"),
        (["--requests", "10", "--duration", "2"], "not allowed with argument"),
    ],
)
def test_wrong_options_exit_2_saying_what_to_give(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parser().parse_args(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
