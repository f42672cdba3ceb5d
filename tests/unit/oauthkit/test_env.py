"""Environment over `.env`: precedence, and errors naming variable, file and an example."""

from __future__ import annotations

from pathlib import Path

import pytest

from oauthkit import ConfigError, EnvSource


def env_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def test_process_environment_takes_precedence_over_the_env_file(tmp_path: Path) -> None:
    path = env_file(tmp_path, "A=from-file\nB=file-only\n")
    env = EnvSource.load(path, {"A": "from-env"}, required=True)
    assert (env.get("A"), env.get("B")) == ("from-env", "file-only")


def test_values_are_taken_literally_without_interpolation(tmp_path: Path) -> None:
    env = EnvSource.load(env_file(tmp_path, "S='p$a${HOME}ss'\n"), {}, required=True)
    assert env.get("S") == "p$a${HOME}ss"


def test_missing_default_env_file_is_fine_and_said_where_looked(tmp_path: Path) -> None:
    env = EnvSource.load(tmp_path / ".env", {"A": "1"}, required=False)
    assert env.get("A") == "1"
    assert "does not exist" in env.where()


def test_missing_explicit_env_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.env does not exist"):
        EnvSource.load(tmp_path / "missing.env", {}, required=True)


def test_missing_variable_names_variable_file_and_example(tmp_path: Path) -> None:
    path = env_file(tmp_path, "OTHER=1\n")
    env = EnvSource.load(path, {}, required=True)
    with pytest.raises(ConfigError) as raised:
        env.require("ZITADEL_DOMAIN", "https://my-instance.zitadel.cloud")
    message = str(raised.value)
    assert "ZITADEL_DOMAIN is not set" in message
    assert str(path) in message
    assert "ZITADEL_DOMAIN=https://my-instance.zitadel.cloud" in message


def test_empty_variable_counts_as_missing() -> None:
    env = EnvSource({"A": "  "}, Path("/x/.env"))
    with pytest.raises(ConfigError, match="A is not set"):
        env.require("A", "1")


@pytest.mark.parametrize(
    ("raw", "value"), [(None, 5.0), ("", 5.0), ("0.5", 0.5), ("30", 30.0), ("0", 0.0)]
)
def test_number_reads_seconds_with_a_default(raw: str | None, value: float) -> None:
    env = EnvSource({} if raw is None else {"T": raw}, Path("/x/.env"))
    assert env.number("T", 5.0, "5") == value


@pytest.mark.parametrize("raw", ["five", "-1", "nan", "inf"])
def test_malformed_number_names_the_value_and_an_example(raw: str) -> None:
    env = EnvSource({"T": raw}, Path("/x/.env"))
    with pytest.raises(ConfigError, match=f"T is '{raw}'.*T=5"):
        env.number("T", 5.0, "5")


@pytest.mark.parametrize(
    ("raw", "value"),
    [(None, True), ("true", True), ("False", False), ("0", False), ("yes", True), ("off", False)],
)
def test_flag_reads_true_and_false(raw: str | None, value: bool) -> None:
    env = EnvSource({} if raw is None else {"F": raw}, Path("/x/.env"))
    assert env.flag("F", True) is value


def test_malformed_flag_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="F is 'maybe', not true or false"):
        EnvSource({"F": "maybe"}, Path("/x/.env")).flag("F", True)


def test_relative_path_is_resolved_against_the_env_file_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "conf").mkdir()
    key = tmp_path / "conf" / "key.json"
    key.write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = EnvSource({"K": "./key.json"}, tmp_path / "conf" / ".env")
    assert env.path("K", "./key.json") == tmp_path / "conf" / "key.json"


def test_relative_path_falls_back_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "key.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = EnvSource({"K": "key.json"}, tmp_path / "elsewhere" / ".env")
    assert env.path("K", "./key.json").resolve() == (tmp_path / "key.json").resolve()


def test_path_to_nothing_names_the_variable_and_every_place_tried(tmp_path: Path) -> None:
    env = EnvSource({"K": "gone.json"}, tmp_path / ".env")
    with pytest.raises(ConfigError, match=f"K names a file that does not exist.*{tmp_path}"):
        env.path("K", "./key.json")
