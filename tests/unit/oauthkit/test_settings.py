"""Settings of the APIs and clients: defaults fit for ZITADEL, overrides, clear errors."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import oauthkit.client_settings
import oauthkit.settings
from oauthkit import (
    VARIABLES,
    ZITADEL_ROLES_CLAIM,
    ConfigError,
    EnvSource,
    load_basic_api_settings,
    load_client_credentials_settings,
    load_jwt_api_settings,
    load_jwt_client_settings,
    load_local_jwt_api_settings,
    load_pat_settings,
)

from .fakes import ISSUER, write_json

AUD = "urn:zitadel:iam:org:project:id:P1:aud"


def source(tmp_path: Path, **values: str) -> EnvSource:
    return EnvSource(values, tmp_path / ".env", env_file_found=False)


@pytest.fixture
def api_env(tmp_path: Path, app_key_json: dict[str, str]) -> dict[str, str]:
    write_json(tmp_path / "api-key-file.json", app_key_json)
    return {
        "ZITADEL_DOMAIN": ISSUER + "/",
        "PROJECT_ID": "P1",
        "API_PRIVATE_KEY_FILE": "api-key-file.json",
        "API_CLIENT_ID": "basic-client",
        "API_CLIENT_SECRET": "basic-secret",
    }


def test_jwt_api_defaults_are_zitadels(tmp_path: Path, api_env: dict[str, str]) -> None:
    settings = load_jwt_api_settings(source(tmp_path, **api_env))
    assert settings.issuer == ISSUER
    assert settings.credentials.client_id == "client-app-1"
    assert settings.policy.audiences == ("P1", "client-app-1")
    assert settings.policy.roles_claim == ZITADEL_ROLES_CLAIM
    assert (settings.realm, settings.introspection_timeout) == ("api_jwt", 5.0)
    assert settings.introspection_cache_ttl == 0.0
    assert (settings.assertion.lifetime, settings.assertion.jti) == (300, True)
    assert settings.assertion.audience is None


def test_basic_api_accepts_project_and_its_own_client_id(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    settings = load_basic_api_settings(source(tmp_path, **api_env))
    assert settings.credentials.client_id == "basic-client"
    assert settings.policy.audiences == ("P1", "basic-client")
    assert settings.realm == "api_basic_auth"


def test_api_overrides_are_read(tmp_path: Path, api_env: dict[str, str]) -> None:
    env = source(
        tmp_path,
        **api_env,
        API_AUDIENCE="urn:a, urn:b",
        ROLES_CLAIM="scope",
        API_REALM="messages",
        INTROSPECTION_TIMEOUT="0.5",
        INTROSPECTION_CACHE_TTL="60",
        CLIENT_ASSERTION_LIFETIME="600",
        CLIENT_ASSERTION_JTI="false",
        CLIENT_ASSERTION_AUDIENCE=f"{ISSUER}/oauth/v2/token",
    )
    settings = load_jwt_api_settings(env)
    assert settings.policy.audiences == ("urn:a", "urn:b")
    assert (settings.policy.roles_claim, settings.realm) == ("scope", "messages")
    assert (settings.introspection_timeout, settings.introspection_cache_ttl) == (0.5, 60.0)
    assert (settings.assertion.lifetime, settings.assertion.jti) == (600, False)
    assert settings.assertion.audience == f"{ISSUER}/oauth/v2/token"


def test_empty_api_audience_turns_the_check_off_with_a_warning(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    settings = load_basic_api_settings(source(tmp_path, **api_env, API_AUDIENCE=""))
    assert settings.policy.audiences == ()
    assert any("audience check is off" in w for w in settings.warnings)


def test_api_without_project_id_or_audience_is_a_config_error(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    del api_env["PROJECT_ID"]
    with pytest.raises(ConfigError, match=r"PROJECT_ID is not set.*PROJECT_ID=123456789012345678"):
        load_basic_api_settings(source(tmp_path, **api_env))


@pytest.mark.parametrize("name", ["ZITADEL_DOMAIN", "API_CLIENT_ID", "API_CLIENT_SECRET"])
def test_basic_api_missing_variable_is_named_with_the_env_file(
    tmp_path: Path, api_env: dict[str, str], name: str
) -> None:
    del api_env[name]
    with pytest.raises(ConfigError, match=f"{name} is not set.*{tmp_path / '.env'}"):
        load_basic_api_settings(source(tmp_path, **api_env))


def test_issuer_without_scheme_is_refused(tmp_path: Path, api_env: dict[str, str]) -> None:
    api_env["ZITADEL_DOMAIN"] = "my-instance.zitadel.cloud"
    with pytest.raises(ConfigError, match="without http"):
        load_basic_api_settings(source(tmp_path, **api_env))


def test_zero_introspection_timeout_is_refused(tmp_path: Path, api_env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="INTROSPECTION_TIMEOUT must be more than 0"):
        load_basic_api_settings(source(tmp_path, **api_env, INTROSPECTION_TIMEOUT="0"))


def test_the_answer_size_cap_defaults_to_one_mebibyte_and_can_be_set(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    assert load_basic_api_settings(source(tmp_path, **api_env)).introspection_max_bytes == 1048576
    settings = load_basic_api_settings(source(tmp_path, **api_env, INTROSPECTION_MAX_BYTES="4096"))
    assert settings.introspection_max_bytes == 4096
    with pytest.raises(ConfigError, match="INTROSPECTION_MAX_BYTES must be more than 0"):
        load_basic_api_settings(source(tmp_path, **api_env, INTROSPECTION_MAX_BYTES="0"))


def test_the_policy_knows_the_issuer_so_a_foreign_iss_is_refused(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    settings = load_basic_api_settings(source(tmp_path, **api_env))
    assert settings.policy.issuer == settings.issuer


def test_api_key_file_problem_names_the_variable(
    tmp_path: Path, api_env: dict[str, str], user_key_json: dict[str, str]
) -> None:
    write_json(tmp_path / "user.json", user_key_json)
    api_env["API_PRIVATE_KEY_FILE"] = "user.json"
    with pytest.raises(ConfigError, match=r"^API_PRIVATE_KEY_FILE: .*'type': 'application'"):
        load_jwt_api_settings(source(tmp_path, **api_env))


@pytest.fixture
def client_env(tmp_path: Path, user_key_json: dict[str, str]) -> dict[str, str]:
    write_json(tmp_path / "client-key-file.json", user_key_json)
    return {
        "ZITADEL_DOMAIN": ISSUER,
        "PROJECT_ID": "P1",
        "CLIENT_PRIVATE_KEY_FILE_PATH": "client-key-file.json",
        "CLIENT_ID": "svc-user",
        "CLIENT_SECRET": "svc-secret",
        "PERSONAL_ACCESS_TOKEN": "pat-1",
    }


def test_client_scopes_default_to_openid_profile_the_project_audience_and_its_roles(
    tmp_path: Path, client_env: dict[str, str]
) -> None:
    settings = load_jwt_client_settings(source(tmp_path, **client_env))
    assert settings.scopes == ("openid", "profile", AUD, "urn:zitadel:iam:org:projects:roles")
    assert settings.credentials.user_id == "user-1"
    assert settings.warnings == ()
    assert settings.client_id is None


def test_client_without_project_id_warns_that_tokens_get_no_audience(
    tmp_path: Path, client_env: dict[str, str]
) -> None:
    del client_env["PROJECT_ID"]
    settings = load_client_credentials_settings(source(tmp_path, **client_env))
    assert settings.scopes == ("openid", "profile")
    assert "no API can introspect" in settings.warnings[0]


def test_token_scopes_replace_the_default(tmp_path: Path, client_env: dict[str, str]) -> None:
    env = source(tmp_path, **client_env, TOKEN_SCOPES="read:messages  openid")
    assert load_client_credentials_settings(env).scopes == ("read:messages", "openid")


def test_client_credentials_default_to_basic_and_accept_post(
    tmp_path: Path, client_env: dict[str, str]
) -> None:
    assert load_client_credentials_settings(source(tmp_path, **client_env)).credentials.method == (
        "client_secret_basic"
    )
    env = source(tmp_path, **client_env, CLIENT_AUTH_METHOD="client_secret_post")
    assert load_client_credentials_settings(env).credentials.method == "client_secret_post"


def test_unknown_client_auth_method_is_refused(tmp_path: Path, client_env: dict[str, str]) -> None:
    env = source(tmp_path, **client_env, CLIENT_AUTH_METHOD="private_key_jwt")
    with pytest.raises(ConfigError, match="CLIENT_AUTH_METHOD is 'private_key_jwt'"):
        load_client_credentials_settings(env)


def test_jwt_profile_client_id_is_sent_only_when_configured(
    tmp_path: Path, client_env: dict[str, str]
) -> None:
    env = source(tmp_path, **client_env, JWT_PROFILE_CLIENT_ID="public-client")
    assert load_jwt_client_settings(env).client_id == "public-client"


def test_application_key_given_to_the_jwt_client_names_variable_and_type(
    tmp_path: Path, client_env: dict[str, str], app_key_json: dict[str, str]
) -> None:
    write_json(tmp_path / "api.json", app_key_json)
    client_env["CLIENT_PRIVATE_KEY_FILE_PATH"] = "api.json"
    with pytest.raises(ConfigError, match=r"^CLIENT_PRIVATE_KEY_FILE_PATH: .*serviceaccount"):
        load_jwt_client_settings(source(tmp_path, **client_env))


def test_pat_needs_only_the_token(tmp_path: Path) -> None:
    settings = load_pat_settings(source(tmp_path, PERSONAL_ACCESS_TOKEN="pat-1"))
    assert settings.credentials.token == "pat-1"
    assert settings.scopes == ()


def test_missing_pat_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PERSONAL_ACCESS_TOKEN is not set"):
        load_pat_settings(source(tmp_path))


def test_variables_lists_exactly_the_variables_the_loaders_read() -> None:
    source = inspect.getsource(oauthkit.settings) + inspect.getsource(oauthkit.client_settings)
    read = set(re.findall(r'env(?:\.\w+\(\s*|, )"([A-Z][A-Z_]+)"', source))
    assert read == set(VARIABLES)


def test_the_local_jwt_api_needs_no_credentials_and_defaults_to_rs256(
    tmp_path: Path, api_env: dict[str, str]
) -> None:
    settings = load_local_jwt_api_settings(source(tmp_path, **api_env))
    rules = settings.credentials
    assert settings.issuer == ISSUER and settings.realm == "api_local_jwt"
    assert settings.policy.audiences == ("P1", "basic-client")
    assert rules.algorithms == ("RS256",) and rules.typ == "default"
    assert rules.required_claims == ("client_id", "jti")
    assert rules.project_roles_claim == "urn:zitadel:iam:org:project:P1:roles"
    assert settings.policy.project_roles_claim == rules.project_roles_claim  # every API's
    assert rules.jwks_refresh_cooldown == 5.0
    assert (rules.jwks_timeout, rules.jwks_max_bytes) == (5.0, 1048576)


def test_the_local_jwt_api_reads_its_options(tmp_path: Path, api_env: dict[str, str]) -> None:
    env = {**api_env, "JWT_ALGORITHMS": "RS256, ES256", "JWT_TYP": "Strict"}
    env |= {"JWT_REQUIRED_CLAIMS": "", "JWKS_REFRESH_COOLDOWN": "0.5", "JWKS_TIMEOUT": "2"}
    env |= {"JWKS_MAX_BYTES": "65536"}
    env.pop("API_CLIENT_ID")
    settings = load_local_jwt_api_settings(source(tmp_path, **env))
    rules = settings.credentials
    assert rules.algorithms == ("RS256", "ES256") and rules.typ == "strict"
    assert rules.required_claims == () and settings.policy.audiences == ("P1",)
    assert (rules.jwks_refresh_cooldown, rules.jwks_timeout) == (0.5, 2.0)
    assert rules.jwks_max_bytes == 65536


@pytest.mark.parametrize(
    ("name", "value"), [("JWT_ALGORITHMS", "none"), ("JWT_ALGORITHMS", "HS256"), ("JWT_TYP", "x")]
)
def test_the_local_jwt_api_refuses_unsafe_options_naming_the_variable(
    tmp_path: Path, api_env: dict[str, str], name: str, value: str
) -> None:
    with pytest.raises(ConfigError, match=name):
        load_local_jwt_api_settings(source(tmp_path, **api_env, **{name: value}))
