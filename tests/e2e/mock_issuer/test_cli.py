"""`python -m mock_issuer --port 0 --write-env DIR` as a user runs it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from dotenv import dotenv_values

import harness

pytestmark = pytest.mark.e2e
REPO = Path(harness.__file__).resolve().parent.parent


def _read_issuer(process: subprocess.Popen[str]) -> tuple[str, list[str]]:
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("serving"):
            break
    found = re.search(r"^issuer: (\S+)$", "".join(lines), re.MULTILINE)
    assert found, f"no issuer line in output: {lines!r}"
    return found.group(1), lines


def test_cli_serves_and_writes_an_env_that_the_samples_can_use(tmp_path: Path) -> None:
    env_dir = tmp_path / "mock-env"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mock_issuer",
            "--port",
            "0",
            "--write-env",
            str(env_dir),
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        issuer, output = _read_issuer(process)
        env = dotenv_values(env_dir / ".env")
        assert env["ZITADEL_DOMAIN"] == issuer
        scope = f"openid urn:zitadel:iam:org:project:id:{env['PROJECT_ID']}:aud"
        token = httpx.post(
            f"{issuer}/oauth/v2/token",
            data={"grant_type": "client_credentials", "scope": scope},
            auth=(str(env["CLIENT_ID"]), str(env["CLIENT_SECRET"])),
        ).json()["access_token"]
        body = httpx.post(
            f"{issuer}/oauth/v2/introspect",
            data={"token": token},
            auth=(str(env["API_CLIENT_ID"]), str(env["API_CLIENT_SECRET"])),
        ).json()
        assert body["active"] is True
        printed = "".join(output)
        for name in ("CLIENT_SECRET", "API_CLIENT_SECRET", "PERSONAL_ACCESS_TOKEN"):
            assert str(env[name]) not in printed
        assert "PRIVATE KEY" not in printed
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    assert process.returncode == 0, stderr
    assert token not in stderr


def test_cli_help_lists_the_options() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mock_issuer", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    for option in (
        "--host",
        "--port",
        "--write-env",
        "--issuer-url",
        "--access-token-type",
        "--log-level",
    ):
        assert option in result.stdout
