"""The mock issuer as a real server on a free loopback port."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import jwt
import pytest

from mock_issuer import FaultKind, MockIssuer, Provisioned

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[MockIssuer, Provisioned]]:
    with MockIssuer() as issuer:
        yield issuer, issuer.provision()


def _cc_token(issuer: MockIssuer, world: Provisioned, timeout: float = 5) -> str:
    user = world.cc_user
    scope = f"openid urn:zitadel:iam:org:project:id:{world.project.id}:aud"
    response = httpx.post(
        issuer.token_endpoint,
        data={"grant_type": "client_credentials", "scope": scope},
        auth=(user.username, user.client_secret or ""),
        timeout=timeout,
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def _introspect(
    issuer: MockIssuer, world: Provisioned, token: str, timeout: float = 5
) -> httpx.Response:
    app = world.api_basic_app
    return httpx.post(
        issuer.introspection_endpoint,
        data={"token": token},
        auth=(app.client_id, app.client_secret or ""),
        timeout=timeout,
    )


def test_started_issuer_url_has_the_real_port_and_discovery_agrees(
    running: tuple[MockIssuer, Provisioned],
) -> None:
    issuer, world = running
    assert issuer.issuer.startswith("http://127.0.0.1:") and not issuer.issuer.endswith(":0")
    assert world.issuer == issuer.issuer
    assert httpx.get(issuer.discovery_url).json()["issuer"] == issuer.issuer


def test_client_credentials_token_introspects_active_over_http(
    running: tuple[MockIssuer, Provisioned],
) -> None:
    issuer, world = running
    body = _introspect(issuer, world, _cc_token(issuer, world)).json()
    assert body["active"] is True and body["iss"] == issuer.issuer


def test_jwt_profile_token_introspects_active_with_private_key_jwt_over_http(
    running: tuple[MockIssuer, Provisioned],
) -> None:
    issuer, world = running
    now = int(time.time())

    def assertion(key_file: dict[str, str], subject: str) -> str:
        claims = {"iss": subject, "sub": subject, "aud": issuer.issuer, "iat": now, "exp": now + 60}
        return jwt.encode(
            claims, key_file["key"], algorithm="RS256", headers={"kid": key_file["keyId"]}
        )

    user_key, app_key = world.jwt_user.key_file or {}, world.api_jwt_app.key_file or {}
    grant = {
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion": assertion(user_key, user_key["userId"]),
        "scope": f"openid urn:zitadel:iam:org:project:id:{world.project.id}:aud",
    }
    token = httpx.post(issuer.token_endpoint, data=grant).json()["access_token"]
    form = {
        "token": token,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion(app_key, app_key["clientId"]),
    }
    body = httpx.post(issuer.introspection_endpoint, data=form).json()
    assert body["active"] is True and "urn:zitadel:iam:org:project:roles" in body


def test_drop_connection_makes_the_client_see_a_connection_error(
    running: tuple[MockIssuer, Provisioned],
) -> None:
    issuer, world = running
    dropping = issuer.fault(FaultKind.DROP_CONNECTION, endpoint="introspect")
    with dropping, pytest.raises(httpx.TransportError):
        _introspect(issuer, world, "t")
    assert _introspect(issuer, world, "t").json() == {"active": False}


def test_latency_fault_trips_a_client_timeout_then_clears(
    running: tuple[MockIssuer, Provisioned],
) -> None:
    issuer, world = running
    token = _cc_token(issuer, world)
    with issuer.fault(FaultKind.LATENCY, seconds=0.3, endpoint="introspect"):
        with pytest.raises(httpx.ReadTimeout):
            _introspect(issuer, world, token, timeout=0.05)
        assert _cc_token(issuer, world, timeout=0.5)
    assert _introspect(issuer, world, token, timeout=2).json()["active"] is True


def test_server_error_fault_over_http(running: tuple[MockIssuer, Provisioned]) -> None:
    issuer, world = running
    with issuer.fault(FaultKind.SERVER_ERROR, status=502, endpoint="introspect"):
        assert _introspect(issuer, world, "t").status_code == 502


def test_stop_is_idempotent_and_a_stopped_issuer_refuses_connections() -> None:
    issuer = MockIssuer().start()
    url = issuer.discovery_url
    assert httpx.get(url).status_code == 200
    issuer.stop()
    issuer.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2)


def test_issuer_url_override_goes_into_iss_and_discovery() -> None:
    with MockIssuer().start(issuer_url="http://mock.example:9999/") as issuer:
        assert issuer.issuer == "http://mock.example:9999"
        assert issuer.token_endpoint == "http://mock.example:9999/oauth/v2/token"


def test_the_userinfo_endpoint_discovery_lists_answers_over_the_network(
    running: tuple[MockIssuer, Provisioned],
) -> None:
    issuer, world = running
    listed = httpx.get(issuer.discovery_url, timeout=5).json()["userinfo_endpoint"]
    assert listed == issuer.userinfo_endpoint
    auth = {"Authorization": f"Bearer {_cc_token(issuer, world)}"}
    assert httpx.get(listed, headers=auth, timeout=5).json() == {"sub": world.cc_user.user_id}
    refused = httpx.get(listed, timeout=5)
    assert (refused.status_code, refused.headers["www-authenticate"]) == (401, "Bearer")


def test_a_redirect_names_the_configured_issuer_whatever_host_was_sent() -> None:
    with MockIssuer().start(issuer_url="https://issuer.example/") as issuer:
        response = httpx.get(
            issuer.listen_url + "/oauth/v2/keys/", headers={"Host": "evil.example"}, timeout=5
        )
    assert response.status_code == 307
    assert response.headers["location"] == "https://issuer.example/oauth/v2/keys"
