"""Honest verdicts: a half-filled ``.env`` is INCOMPLETE (exit 3), never PASSED, and named.

Each case starts from the mock issuer's complete ``.env`` (``provision().write_env``), spoils
it the way a new user does, and runs ``python -m harness`` in live mode against that mock.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.cli import EXIT_INCOMPLETE, EXIT_PASSED, main
from mock_issuer.issuer import MockIssuer

pytestmark = pytest.mark.e2e
CHECKS = "ROUTE-public-without-token,RFC6750-2.1-valid-token,RFC6750-3.1-no-credentials"
Spoil = Callable[[str], str]


@pytest.fixture
def env_file(tmp_path: Path) -> Iterator[Path]:
    """A running mock issuer and its complete .env."""
    issuer = MockIssuer().start()
    try:
        yield issuer.provision().write_env(tmp_path / "env")
    finally:
        issuer.stop()


def _without(name: str) -> Spoil:
    return lambda text: re.sub(rf"^{name}=.*\n", "", text, flags=re.MULTILINE)


def _swap_key_files(text: str) -> str:
    api = re.search(r"^API_PRIVATE_KEY_FILE=(.*)$", text, re.MULTILINE)
    client = re.search(r"^CLIENT_PRIVATE_KEY_FILE_PATH=(.*)$", text, re.MULTILINE)
    assert api and client
    text = text.replace(api.group(0), f"API_PRIVATE_KEY_FILE={client.group(1)}")
    return text.replace(client.group(0), f"CLIENT_PRIVATE_KEY_FILE_PATH={api.group(1)}")


def _run(env_file: Path, report: Path) -> tuple[int, str, dict[str, object], str]:
    out = io.StringIO()
    argv = ["--env-file", str(env_file), "-n", "1", "--checks", CHECKS, "--report", str(report)]
    status = main(argv, out=out)
    data = json.loads(report.with_suffix(".json").read_text())
    return status, out.getvalue(), data, report.read_text()


def test_the_complete_env_of_the_mock_passes(env_file: Path, tmp_path: Path) -> None:
    status, out, data, _ = _run(env_file, tmp_path / "r.html")
    assert status == EXIT_PASSED, out
    assert data["verdict"] == "PASSED"
    assert "Verdict: PASSED" in out


@pytest.mark.parametrize(
    ("spoil", "variables", "cells"),
    [
        (_without("API_CLIENT_ID"), ["API_CLIENT_ID"], {2, 4, 6}),
        (_without("API_PRIVATE_KEY_FILE"), ["API_PRIVATE_KEY_FILE"], {1, 3, 5}),
        (_swap_key_files, ["API_PRIVATE_KEY_FILE", "CLIENT_PRIVATE_KEY_FILE_PATH"], {1, 2, 3, 5}),
    ],
    ids=["no-API_CLIENT_ID", "no-API_PRIVATE_KEY_FILE", "key-files-swapped"],
)
def test_a_half_filled_env_is_incomplete_and_names_each_missing_variable(
    env_file: Path, tmp_path: Path, spoil: Spoil, variables: list[str], cells: set[int]
) -> None:
    env_file.write_text(spoil(env_file.read_text()))
    status, out, data, html = _run(env_file, tmp_path / "r.html")
    assert status == EXIT_INCOMPLETE, out
    assert data["verdict"] == "INCOMPLETE"
    assert "Verdict: INCOMPLETE" in out
    header = html.split("<main>")[0]
    assert "INCOMPLETE" in header
    for variable in variables:
        assert f"not configured: {variable}" in out
        assert variable in header
    partial = {n for n, word in re.findall(r"\| (\d): (\S+)", out) if word != "PASS"}
    assert {str(c) for c in cells} <= partial, out


@pytest.mark.parametrize(
    ("setting", "warning"),
    [
        ("API_AUDIENCE=", "api_jwt: API_AUDIENCE is empty: the audience check is off"),
        ("INTROSPECTION_CACHE_TTL=30", "api_basic_auth: INTROSPECTION_CACHE_TTL is 30 s"),
        ("CLIENT_ASSERTION_JTI=false", "api_jwt: CLIENT_ASSERTION_JTI is off"),
    ],
)
def test_a_setting_that_weakens_the_run_is_a_warning_in_the_terminal_and_the_report(
    env_file: Path, tmp_path: Path, setting: str, warning: str
) -> None:
    env_file.write_text(env_file.read_text() + setting + "\n")
    _, out, data, html = _run(env_file, tmp_path / "r.html")
    assert f"warning: {warning}" in out
    assert warning in html.split("<main>")[0]
    assert any(w.startswith(warning) for w in data["info"]["warnings"])  # type: ignore[index]
