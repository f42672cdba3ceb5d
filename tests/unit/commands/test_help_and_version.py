"""Every command's `--help` says its defaults one way, its exit statuses and the environment it
reads; `--version` prints the version; a port out of range is an argparse error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import oauthkit
from benchmarks.options import parser as benchmarks_parser
from harness.cli import parser as harness_parser
from mock_issuer.__main__ import parse_args as mock_issuer_args
from oauthkit import ClientCredentialsGrant, JwtProfileGrant, PatGrant
from oauthkit.commands import client_parser
from oauthkit.fastapi import api_parser

COMMANDS: dict[str, Callable[[list[str]], object]] = {
    "harness": harness_parser().parse_args,
    "mock_issuer": mock_issuer_args,
    "api_jwt": api_parser("api_jwt", 8001).parse_args,
    "api_basic_auth": api_parser("api_basic_auth", 8002).parse_args,
    "service_user_jwt": client_parser("service_user_jwt", JwtProfileGrant).parse_args,
    "service_user_client_credentials": client_parser(
        "service_user_client_credentials", ClientCredentialsGrant
    ).parse_args,
    "service_user_pat": client_parser("service_user_pat", PatGrant).parse_args,
    "benchmarks": benchmarks_parser().parse_args,
}


def output_of(
    parse: Callable[[list[str]], object], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int | str | None, str, str]:
    with pytest.raises(SystemExit) as exited:
        parse(argv)
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


@pytest.mark.parametrize("command", COMMANDS)
def test_help_states_defaults_exit_statuses_and_environment(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = output_of(COMMANDS[command], ["--help"], capsys)
    assert code == 0
    assert "(default: " in out
    assert "(default " not in out and "(%(default)" not in out
    assert "\nexit status:\n  0 " in out
    assert "\nenvironment:\n  " in out
    assert "--version" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_version_prints_the_distributions_version(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = output_of(COMMANDS[command], ["--version"], capsys)
    assert code == 0
    assert out.strip().endswith(oauthkit.__version__)


@pytest.mark.parametrize("command", ["mock_issuer", "api_jwt", "api_basic_auth"])
@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(
    command: str, port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = output_of(COMMANDS[command], ["--port", port], capsys)
    assert code == 2
    assert f"argument --port: '{port}' is not a port: give 0 to 65535" in err


def test_port_zero_and_the_highest_port_are_accepted() -> None:
    args = api_parser("api_jwt", 8001).parse_args(["--port", "0"])
    assert args.port == 0
    assert mock_issuer_args(["--port", "65535"]).port == 65535
