"""The APIs as real servers: issuer down, dropped, slow → 503; `python -m api_*` serves."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from mock_issuer import FaultKind

from .conftest import REPO, Stack, clean_environ, start_api

pytestmark = pytest.mark.e2e
APIS = ["api_jwt", "api_basic_auth"]


def bearer(stack: Stack) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.world.pat_user.pat}"}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("api", APIS)
def test_issuer_down_gets_503(stack: Stack, api: str) -> None:
    down = {"ZITADEL_DOMAIN": f"http://127.0.0.1:{closed_port()}"}
    with start_api(api, stack.env_file, down) as server:
        response = httpx.get(f"{server.url}/api/private", headers=bearer(stack))
    assert response.status_code == 503
    assert response.json()["error"] == "temporarily_unavailable"


@pytest.mark.parametrize("api", APIS)
def test_issuer_dropping_the_connection_gets_503(stack: Stack, api: str) -> None:
    with stack.issuer.fault(FaultKind.DROP_CONNECTION, endpoint="introspect"):
        response = httpx.get(f"{stack.apis[api]}/api/private", headers=bearer(stack))
    assert response.status_code == 503


@pytest.mark.parametrize("api", APIS)
def test_issuer_slower_than_the_timeout_gets_503_in_time(stack: Stack, api: str) -> None:
    with (
        start_api(api, stack.env_file, {"INTROSPECTION_TIMEOUT": "0.2"}) as server,
        stack.issuer.fault(FaultKind.LATENCY, seconds=1.0, endpoint="introspect"),
    ):
        started = time.monotonic()
        response = httpx.get(f"{server.url}/api/private", headers=bearer(stack))
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 0.9


@pytest.fixture
def served_by_module(stack: Stack) -> Iterator[str]:
    """`python -m api_jwt --port 0` as a subprocess; yields its URL from uvicorn's log line."""
    args = ["--env-file", str(stack.env_file), "--port", "0", "--log-level", "info"]
    process = subprocess.Popen(
        [sys.executable, "-m", "api_jwt", *args],
        cwd=REPO,
        env=clean_environ(),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield read_url(process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stderr is not None
        process.stderr.close()


def read_url(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    for line in process.stderr:
        if "Uvicorn running on " in line:
            return line.split("Uvicorn running on ")[1].split()[0]
    raise AssertionError(f"the API exited ({process.wait()}) without serving")


def test_python_m_api_jwt_serves_the_routes(stack: Stack, served_by_module: str) -> None:
    url = served_by_module
    assert httpx.get(f"{url}/api/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{url}/api/private-scoped", headers=bearer(stack)).status_code == 200
    assert httpx.get(f"{url}/api/private").status_code == 401


def test_python_m_api_basic_auth_with_a_bad_env_exits_2_naming_the_variable(
    tmp_path: object,
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "api_basic_auth", "--env-file", "/nonexistent/.env"],
        cwd=REPO,
        env=clean_environ(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "/nonexistent/.env does not exist" in result.stderr
