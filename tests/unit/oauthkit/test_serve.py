"""The APIs' command line: options, help, and configuration errors before serving."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from oauthkit import load_basic_api_settings
from oauthkit.fastapi import api_parser, run_api


def never_built(settings: Any) -> FastAPI:
    raise AssertionError("the app must not be built when the settings are wrong")


def test_defaults_bind_loopback_on_the_sample_port() -> None:
    args = api_parser("api_jwt", 8001).parse_args([])
    assert (args.host, args.port, args.log_level, args.env_file) == (
        "127.0.0.1",
        8001,
        "info",
        None,
    )


def test_options_are_parsed() -> None:
    argv = ["--env-file", "x.env", "--host", "0.0.0.0", "--port", "0", "--log-level", "debug"]
    args = api_parser("api_jwt", 8001).parse_args(argv)
    assert (args.env_file, args.host, args.port, args.log_level) == (
        Path("x.env"),
        "0.0.0.0",
        0,
        "debug",
    )


def test_help_lists_the_routes_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        api_parser("api_basic_auth", 8002).parse_args(["--help"])
    text = capsys.readouterr().out
    assert "/api/private-scoped" in text and "--env-file" in text and "--log-level" in text


def test_configuration_error_exits_2_before_serving(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("ZITADEL_DOMAIN=http://issuer.test\n", encoding="utf-8")
    err = io.StringIO()
    argv = ["--env-file", str(env)]
    code = run_api(
        "api_basic_auth", argv, {}, load_basic_api_settings, never_built, 8002, stderr=err
    )
    assert code == 2
    assert "API_CLIENT_ID is not set" in err.getvalue() and str(env) in err.getvalue()
