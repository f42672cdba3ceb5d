"""`python -m api_local_jwt` as a real server against a JWT-issuing mock, called by the clients.

As docs/samples.md walks through it: the JWT-profile and client-credentials clients reach the
scoped route, the PAT is refused as not a JWT; the JWKS endpoint failing later does not matter
to a key already cached, and an issuer that is down from the start gives 503.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mock_issuer import FaultKind, MockIssuer

from .conftest import REPO, clean_environ, run_module
from .test_apis_as_servers import closed_port, read_url

pytestmark = pytest.mark.e2e


@dataclass
class Served:
    issuer: MockIssuer
    env_file: Path
    url: str


def serve(env_file: Path, **overrides: str) -> subprocess.Popen[str]:
    args = ["--env-file", str(env_file), "--port", "0", "--log-level", "info"]
    return subprocess.Popen(
        [sys.executable, "-m", "api_local_jwt", *args],
        cwd=REPO,
        env=clean_environ(**overrides),
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=10)
    assert process.stderr is not None
    process.stderr.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with MockIssuer() as issuer:
        env_file = issuer.provision(access_token_type="jwt").write_env(
            tmp_path_factory.mktemp("jwt-env")
        )
        process = serve(env_file)
        try:
            yield Served(issuer, env_file, read_url(process))
        finally:
            stop(process)


@pytest.mark.parametrize("client", ["service_user_jwt", "service_user_client_credentials"])
def test_the_jwt_clients_reach_the_scoped_route(served: Served, client: str) -> None:
    call = f"{served.url}/api/private-scoped"
    result = run_module(client, "--env-file", str(served.env_file), "--call", call)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("HTTP 200")


def test_the_pat_is_refused_as_not_a_jwt(served: Served) -> None:
    call = f"{served.url}/api/private"
    result = run_module("service_user_pat", "--env-file", str(served.env_file), "--call", call)
    assert "HTTP 401" in result.stdout
    assert "accepts only JWT access tokens" in result.stdout


def test_a_cached_key_keeps_working_while_the_jwks_endpoint_fails(served: Served) -> None:
    call = f"{served.url}/api/private"
    token = run_module(
        "service_user_client_credentials", "--env-file", str(served.env_file)
    ).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(call, headers=headers).status_code == 200
    with served.issuer.fault(FaultKind.DROP_CONNECTION, endpoint="keys"):
        assert httpx.get(call, headers=headers).status_code == 200


def test_an_issuer_down_from_the_start_gives_503(served: Served) -> None:
    token = run_module(
        "service_user_client_credentials", "--env-file", str(served.env_file)
    ).stdout.strip()
    process = serve(served.env_file, ZITADEL_DOMAIN=f"http://127.0.0.1:{closed_port()}")
    try:
        url = read_url(process)
        response = httpx.get(f"{url}/api/private", headers={"Authorization": f"Bearer {token}"})
    finally:
        stop(process)
    assert response.status_code == 503
    assert response.json()["error"] == "temporarily_unavailable"
