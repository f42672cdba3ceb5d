"""provision() and write_env(): the .env and key files a user runs the samples with."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from dotenv import dotenv_values

from mock_issuer import MockIssuer, Provisioned
from mock_issuer import provision as provision_module

NAMES = [
    "ZITADEL_DOMAIN",
    "PROJECT_ID",
    "API_PRIVATE_KEY_FILE",
    "API_CLIENT_ID",
    "API_CLIENT_SECRET",
    "CLIENT_PRIVATE_KEY_FILE_PATH",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "PERSONAL_ACCESS_TOKEN",
    "EXPECTED_ROLES_JWT_PROFILE",
    "EXPECTED_ROLES_CLIENT_CREDENTIALS",
    "EXPECTED_ROLES_PAT",
    "OTHER_AUDIENCE_SCOPES",
]


@pytest.fixture(scope="module")
def world() -> Provisioned:
    return MockIssuer(issuer="http://issuer.test").provision()


def test_env_has_the_examples_variable_names_and_values(world: Provisioned, tmp_path: Path) -> None:
    values = dotenv_values(world.write_env(tmp_path))
    assert list(values) == NAMES
    assert values["ZITADEL_DOMAIN"] == "http://issuer.test"
    assert values["PROJECT_ID"] == world.project.id
    assert values["API_CLIENT_ID"] == world.api_basic_app.client_id
    assert values["API_CLIENT_SECRET"] == world.api_basic_app.client_secret
    assert values["CLIENT_ID"] == world.cc_user.username
    assert values["CLIENT_SECRET"] == world.cc_user.client_secret
    assert values["PERSONAL_ACCESS_TOKEN"] == world.pat_user.pat
    assert values["EXPECTED_ROLES_PAT"] == "read:messages"
    audience = f"urn:zitadel:iam:org:project:id:{world.other_project.id}:aud"
    assert values["OTHER_AUDIENCE_SCOPES"] == f"openid {audience}"


def test_key_file_paths_are_absolute_and_hold_the_right_key_files(
    world: Provisioned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    values = dotenv_values(world.write_env(Path("relative-dir")))
    api_path = Path(str(values["API_PRIVATE_KEY_FILE"]))
    client_path = Path(str(values["CLIENT_PRIVATE_KEY_FILE_PATH"]))
    assert api_path.is_absolute() and client_path.is_absolute()
    assert json.loads(api_path.read_text()) == world.api_jwt_app.key_file
    assert json.loads(client_path.read_text())["type"] == "serviceaccount"


def test_written_files_are_readable_by_the_owner_only(world: Provisioned, tmp_path: Path) -> None:
    world.write_env(tmp_path)
    for name in (".env", "api-key-file.json", "client-key-file.json"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600


def test_provision_returns_the_same_world_twice() -> None:
    issuer = MockIssuer()
    assert issuer.provision() is issuer.provision()


def test_provisioned_repr_shows_no_secrets(world: Provisioned) -> None:
    text = repr(world)
    for secret in (
        world.cc_user.client_secret,
        world.pat_user.pat,
        world.api_basic_app.client_secret,
    ):
        assert secret and secret not in text
    assert "PRIVATE KEY" not in text


def test_norole_user_has_every_credential_and_no_role(world: Provisioned) -> None:
    user = world.norole_user
    assert user.key_file and user.client_secret and user.pat


ODD_VALUES = [
    'with "double" quotes',
    "with 'single' quotes",
    "back\\slash and \\n escapes",
    "both ' and \" and \\",
    "spaces, # hash, $dollar and `tick`",
    "colon:percent%plus+ space é",
    "",
]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_written_values_read_back_exactly_with_python_dotenv(value: str, tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(f"X={provision_module._quote(value)}\n", encoding="utf-8")
    assert dotenv_values(env, interpolate=False)["X"] == value


@pytest.mark.parametrize("value", [v for v in ODD_VALUES if "'" not in v and "\\" not in v])
def test_written_values_read_back_exactly_in_a_posix_shell(value: str, tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(f"X={provision_module._quote(value)}\n", encoding="utf-8")
    shell = subprocess.run(
        ["sh", "-c", 'set -a; . "$1"; printf %s "$X"', "sh", str(env)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert shell.stdout == value


def test_a_jwt_world_also_writes_what_live_mode_needs_for_jwt_access_tokens(
    tmp_path: Path,
) -> None:
    world = MockIssuer(issuer="http://issuer.test").provision(access_token_type="jwt")
    values = dotenv_values(world.write_env(tmp_path))
    assert list(values) == [*NAMES, "INTROSPECT_JWT_ACCESS_TOKENS"]
    assert values["INTROSPECT_JWT_ACCESS_TOKENS"] == "true"
    other = f"urn:zitadel:iam:org:project:id:{world.other_project.id}:aud"
    assert values["OTHER_AUDIENCE_SCOPES"] == f"openid {other}"
