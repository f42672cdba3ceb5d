"""Each service-user client, run as `python -m`, gets a token and calls each API (real servers)."""

from __future__ import annotations

import json

import httpx
import pytest

from .conftest import Stack, run_module

CLIENTS = ["service_user_jwt", "service_user_client_credentials", "service_user_pat"]
pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("api", ["api_jwt", "api_basic_auth"])
@pytest.mark.parametrize("client", CLIENTS)
def test_client_calls_private_scoped_and_prints_200_and_the_body(
    stack: Stack, client: str, api: str
) -> None:
    url = f"{stack.apis[api]}/api/private-scoped"
    result = run_module(client, "--env-file", str(stack.env_file), "--call", url)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.splitlines()
    assert status == "HTTP 200"
    assert json.loads(body)["message"].startswith("Private and scoped")


@pytest.mark.parametrize("client", CLIENTS)
def test_printed_token_is_accepted_by_both_apis(stack: Stack, client: str) -> None:
    result = run_module(client, "--env-file", str(stack.env_file), "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["token_type"].lower() == "bearer"
    headers = {"Authorization": f"Bearer {printed['access_token']}"}
    for url in stack.apis.values():
        assert httpx.get(f"{url}/api/private-scoped", headers=headers).status_code == 200


def test_user_without_the_role_gets_403_and_exit_status_1(stack: Stack) -> None:
    user = stack.world.norole_user
    url = f"{stack.apis['api_basic_auth']}/api/private-scoped"
    result = run_module(
        "service_user_client_credentials",
        *("--env-file", str(stack.env_file), "--call", url, "--json"),
        CLIENT_ID=user.username,
        CLIENT_SECRET=user.client_secret or "",
    )
    assert result.returncode == 1
    answer = json.loads(result.stdout)
    assert (answer["status"], answer["body"]["error"]) == (403, "insufficient_scope")


def test_wrong_secret_shows_the_issuer_error_and_a_hint(stack: Stack) -> None:
    args = ("--env-file", str(stack.env_file))
    result = run_module("service_user_client_credentials", *args, CLIENT_SECRET="wrong")
    assert result.returncode == 1
    assert "(400)" in result.stderr and "hint:" in result.stderr
    assert "wrong" not in result.stdout


def test_missing_audience_scope_leads_to_401_and_a_hint_about_it(stack: Stack) -> None:
    url = f"{stack.apis['api_jwt']}/api/private"
    args = ("--env-file", str(stack.env_file), "--call", url)
    result = run_module("service_user_jwt", *args, TOKEN_SCOPES="openid profile")
    assert result.returncode == 1
    assert result.stdout.startswith("HTTP 401")
    assert "urn:zitadel:iam:org:project:id:<PROJECT_ID>:aud" in result.stderr


def test_app_key_file_given_to_the_jwt_client_is_a_config_error_with_a_hint(stack: Stack) -> None:
    env_dir = stack.env_file.parent
    args = ("--env-file", str(stack.env_file))
    api_key = str(env_dir / "api-key-file.json")
    result = run_module("service_user_jwt", *args, CLIENT_PRIVATE_KEY_FILE_PATH=api_key)
    assert result.returncode == 2
    assert "needs a service user's key ('type': 'serviceaccount')" in result.stderr


def test_help_of_every_client_explains_its_options() -> None:
    for client in CLIENTS:
        result = run_module(client, "--help")
        assert result.returncode == 0
        assert all(o in result.stdout for o in ("--env-file", "--call", "--json"))
