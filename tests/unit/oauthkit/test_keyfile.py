"""ZITADEL key files (zitadel-spec.md §5): both layouts, both PEM formats, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from oauthkit import (
    ApplicationKey,
    ConfigError,
    ServiceAccountKey,
    parse_key_file,
    read_application_key,
    read_key_file,
    read_service_account_key,
)

from .fakes import write_json

PKCS8 = serialization.PrivateFormat.PKCS8


def test_application_key_file_gives_client_id_app_id_and_key_id(
    tmp_path: Path, app_key_json: dict[str, str]
) -> None:
    key = read_key_file(write_json(tmp_path / "api.json", app_key_json))
    assert isinstance(key, ApplicationKey)
    assert (key.key_id, key.app_id, key.client_id) == ("kid-app-1", "app-1", "client-app-1")
    assert key.algorithm == "RS256"


def test_serviceaccount_key_file_gives_user_id_and_key_id(
    tmp_path: Path, user_key_json: dict[str, str]
) -> None:
    key = read_key_file(write_json(tmp_path / "user.json", user_key_json))
    assert isinstance(key, ServiceAccountKey)
    assert (key.key_id, key.user_id) == ("kid-user-1", "user-1")


def test_pkcs8_rsa_key_is_accepted(
    user_key_json: dict[str, str], rsa_key: rsa.RSAPrivateKey
) -> None:
    raw = rsa_key.private_bytes(serialization.Encoding.PEM, PKCS8, serialization.NoEncryption())
    key = parse_key_file({**user_key_json, "key": raw.decode()}, source="x")
    assert "RSA PRIVATE" not in raw.decode()  # PKCS#8, not ZITADEL's PKCS#1
    assert key.algorithm == "RS256"


def test_p256_key_signs_es256(user_key_json: dict[str, str]) -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    raw = ec_key.private_bytes(serialization.Encoding.PEM, PKCS8, serialization.NoEncryption())
    assert parse_key_file({**user_key_json, "key": raw.decode()}, source="x").algorithm == "ES256"


def test_ed25519_key_is_refused_naming_the_field(user_key_json: dict[str, str]) -> None:
    raw = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ConfigError, match="field 'key' must be an RSA or P-256"):
        parse_key_file({**user_key_json, "key": raw.decode()}, source="x")


@pytest.mark.parametrize("field", ["type", "keyId", "key", "userId"])
def test_serviceaccount_key_file_missing_a_field_names_file_and_field(
    tmp_path: Path, user_key_json: dict[str, str], field: str
) -> None:
    data = {k: v for k, v in user_key_json.items() if k != field}
    path = write_json(tmp_path / "user.json", data)
    with pytest.raises(ConfigError, match=f"{path}.*'{field}'"):
        read_key_file(path)


@pytest.mark.parametrize("field", ["appId", "clientId"])
def test_application_key_file_missing_an_id_names_the_field(
    app_key_json: dict[str, str], field: str
) -> None:
    data = {k: v for k, v in app_key_json.items() if k != field}
    with pytest.raises(ConfigError, match=f"'{field}'"):
        parse_key_file(data, source="api.json")


def test_unknown_type_is_refused_naming_the_accepted_types(user_key_json: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="'application' or 'serviceaccount'"):
        parse_key_file({**user_key_json, "type": "user"}, source="x")


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.json does not exist"):
        read_key_file(tmp_path / "nope.json")


def test_file_that_is_not_json_is_named_without_its_content(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    path.write_text("key: MIIsecret\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not JSON") as raised:
        read_key_file(path)
    assert "MIIsecret" not in str(raised.value)


def test_json_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a JSON object"):
        read_key_file(write_json(tmp_path / "k.json", ["a"]))


def test_garbled_key_is_refused_without_echoing_it(user_key_json: dict[str, str]) -> None:
    broken = user_key_json["key"][:200] + "garbage"
    with pytest.raises(ConfigError, match="field 'key' is not an unencrypted PEM") as raised:
        parse_key_file({**user_key_json, "key": broken}, source="user.json")
    assert broken[40:80] not in str(raised.value)


def test_key_never_appears_in_repr(tmp_path: Path, user_key_json: dict[str, str]) -> None:
    key = read_key_file(write_json(tmp_path / "user.json", user_key_json))
    assert "PRIVATE" not in repr(key) and "private_key" not in repr(key)


def test_service_user_key_given_to_the_api_is_refused_with_a_hint(
    tmp_path: Path, user_key_json: dict[str, str]
) -> None:
    with pytest.raises(ConfigError, match="needs its API app's key \\('type': 'application'\\)"):
        read_application_key(write_json(tmp_path / "user.json", user_key_json))


def test_application_key_given_to_the_jwt_profile_client_is_refused_with_a_hint(
    tmp_path: Path, app_key_json: dict[str, str]
) -> None:
    with pytest.raises(
        ConfigError, match="needs a service user's key \\('type': 'serviceaccount'\\)"
    ):
        read_service_account_key(write_json(tmp_path / "api.json", app_key_json))
