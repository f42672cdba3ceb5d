"""When the issuer gives no trustworthy answer, both APIs say 503 and log which failure it was."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from mock_issuer import FaultKind, MockIssuer

from .conftest import Api, World, open_api

pytestmark = pytest.mark.anyio


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_unavailable(response: httpx.Response, log: pytest.LogCaptureFixture, says: str) -> None:
    """A 503 JSON answer without a challenge, and one error log line that says why."""
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "temporarily_unavailable"
    assert response.json()["error_description"]
    assert "WWW-Authenticate" not in response.headers
    errors = [r.getMessage() for r in log.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and says in errors[0], errors


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        (FaultKind.SERVER_ERROR, "answered 503"),
        (FaultKind.MALFORMED_JSON, "not JSON"),
        (FaultKind.DROP_CONNECTION, "answered 500"),
    ],
)
async def test_issuer_fault_at_introspection_gets_503(
    api: Api,
    world: World,
    restore_issuer: MockIssuer,
    caplog: pytest.LogCaptureFixture,
    kind: FaultKind,
    says: str,
) -> None:
    restore_issuer.faults.set(kind, endpoint="introspect")
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        response = await api.client.get("/api/private", headers=bearer(world.tokens["cc"]))
    assert_unavailable(response, caplog, says)


async def test_issuer_rejecting_the_apis_own_credentials_gets_503(
    api: Api, world: World, restore_issuer: MockIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    apps = {
        "api_jwt": world.provisioned.api_jwt_app,
        "api_basic_auth": world.provisioned.api_basic_app,
    }
    restore_issuer.faults.set(FaultKind.REJECT_CLIENT, client_id=apps[api.name].client_id)
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        response = await api.client.get("/api/private", headers=bearer(world.tokens["jwt"]))
    assert_unavailable(response, caplog, "refused the API's own credentials")


def wrong_credentials(world: World, tmp_path: Path) -> dict[str, dict[str, str]]:
    """Per API, settings whose credentials the issuer does not know."""
    key_file = dict(world.provisioned.api_jwt_app.key_file or {}, keyId="unknown-key-id")
    path = tmp_path / "wrong-key.json"
    path.write_text(json.dumps(key_file), encoding="utf-8")
    return {
        "api_jwt": {"API_PRIVATE_KEY_FILE": str(path)},
        "api_basic_auth": {"API_CLIENT_SECRET": "not-the-secret"},
    }


async def test_wrong_own_credentials_get_503_naming_the_setting_to_check(
    api_name: str, world: World, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environ = wrong_credentials(world, tmp_path)[api_name]
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        async with open_api(api_name, world, environ) as api:
            response = await api.client.get("/api/private", headers=bearer(world.tokens["cc"]))
    setting = {"api_jwt": "API_PRIVATE_KEY_FILE", "api_basic_auth": "API_CLIENT_SECRET"}
    assert_unavailable(response, caplog, "400 unauthorized_client")
    assert setting[api_name] in caplog.text


def failing(exc: type[httpx.TransportError]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("simulated", request=request)

    return handler


@pytest.mark.parametrize(
    ("exc", "says"),
    [(httpx.ConnectError, "ConnectError"), (httpx.ReadTimeout, "timed out")],
    ids=["unreachable", "timeout"],
)
async def test_unreachable_or_slow_issuer_gets_503(
    api_name: str,
    world: World,
    caplog: pytest.LogCaptureFixture,
    exc: type[httpx.TransportError],
    says: str,
) -> None:
    transport = httpx.MockTransport(failing(exc))
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        async with open_api(api_name, world, transport=transport) as api:
            response = await api.client.get("/api/private", headers=bearer("any-token"))
    assert_unavailable(response, caplog, says)


async def test_public_routes_still_answer_while_the_issuer_is_down(
    api_name: str, world: World
) -> None:
    transport = httpx.MockTransport(failing(httpx.ConnectError))
    async with open_api(api_name, world, transport=transport) as api:
        assert (await api.client.get("/api/public")).status_code == 200
        assert (await api.client.get("/api/healthz")).status_code == 200
