"""The APIs as real servers: issuer down, dropped, slow → 503; `python -m api_*` serves."""

from __future__ import annotations

import socket
import subprocess
import sys
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
def test_issuer_slower_than_the_timeout_gets_503_without_waiting_for_it(
    stack: Stack, api: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The issuer would answer after a minute; the API must give up after its own 0.2 s. Shown
    # by cause, not by a stopwatch (a loaded machine stretches any wall-clock bound): the
    # answer comes while the issuer is still silent (the client would give up after 30 s) and
    # the API logs that its call timed out.
    with (
        start_api(api, stack.env_file, {"INTROSPECTION_TIMEOUT": "0.2"}) as server,
        stack.issuer.fault(FaultKind.LATENCY, seconds=60.0, endpoint="introspect"),
    ):
        response = httpx.get(f"{server.url}/api/private", headers=bearer(stack), timeout=30.0)
    assert response.status_code == 503
    assert response.json()["error"] == "temporarily_unavailable"
    api_log = [r.getMessage() for r in caplog.records if r.name == "oauthkit.api"]
    gave_up = ("timed out", "did not complete within the 0.2 s deadline")
    assert any(words in line for line in api_log for words in gave_up), api_log


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
