"""A subject gets its own API app's credentials, never the service users' (unless it opts in)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from dotenv import dotenv_values

from harness.model.matrix import Mechanism, Mode
from harness.subjects.file import SubjectError, load_subject
from harness.targets.subject_values import SERVICE_USER_VARIABLES, SubjectValues
from oauthkit import EnvSource

MOCK_ENV = {
    "ZITADEL_DOMAIN": "http://127.0.0.1:1",
    "PROJECT_ID": "42",
    "API_PRIVATE_KEY_FILE": "/k/api-key-file.json",
    "API_CLIENT_ID": "api-basic",
    "API_CLIENT_SECRET": "api-basic-secret",
    "CLIENT_PRIVATE_KEY_FILE_PATH": "/k/client-key-file.json",
    "CLIENT_ID": "cc-user",
    "CLIENT_SECRET": "cc-user-secret",
    "PERSONAL_ACCESS_TOKEN": "pat-of-the-pat-user",
    "EXPECTED_ROLES_PAT": "read:messages",
}


@dataclass
class _Base:
    env: EnvSource
    mode: Mode = Mode.MOCK


def _env_file(tmp_path: Path, mechanism: Mechanism, extra: str = "") -> dict[str, str | None]:
    path = tmp_path / "s.toml"
    path.write_text(f'name = "s"\nmechanism = "{mechanism}"\ncommand = ["x"]\n{extra}')
    values = SubjectValues(_Base(EnvSource(MOCK_ENV, tmp_path / ".env")), load_subject(path),
                           tmp_path)  # type: ignore[arg-type]  # fmt: skip
    return dotenv_values(values._env_file(tmp_path))


@pytest.mark.parametrize(
    ("mechanism", "own", "withheld"),
    [
        (Mechanism.PRIVATE_KEY_JWT, {"API_PRIVATE_KEY_FILE"}, {"API_CLIENT_SECRET"}),
        (Mechanism.CLIENT_SECRET_BASIC, {"API_CLIENT_SECRET"}, {"API_PRIVATE_KEY_FILE"}),
        (Mechanism.LOCAL_JWT, set(), {"API_CLIENT_SECRET", "API_PRIVATE_KEY_FILE"}),
    ],
)
def test_the_env_file_holds_the_api_apps_own_credentials_only(
    tmp_path: Path, mechanism: Mechanism, own: set[str], withheld: set[str]
) -> None:
    given = _env_file(tmp_path, mechanism)
    assert own <= set(given)
    assert not (withheld | SERVICE_USER_VARIABLES) & set(given)
    assert {"ZITADEL_DOMAIN", "PROJECT_ID", "EXPECTED_ROLES_PAT"} <= set(given)


def test_a_subject_that_opts_in_gets_the_service_users_secrets(tmp_path: Path) -> None:
    given = _env_file(tmp_path, Mechanism.CLIENT_SECRET_BASIC, "service_user_secrets = true\n")
    assert set(given) >= SERVICE_USER_VARIABLES
    assert "API_PRIVATE_KEY_FILE" not in given


def test_the_opt_in_is_true_or_false(tmp_path: Path) -> None:
    with pytest.raises(SubjectError, match="service_user_secrets is 'yes': true or false"):
        _env_file(tmp_path, Mechanism.LOCAL_JWT, 'service_user_secrets = "yes"\n')
