"""Subject files: what a valid one gives, and the error each mistake gets (never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.model.matrix import Mechanism
from harness.model.routes import Route, Routes
from harness.run.cases import with_known_expectations
from harness.subjects.file import (
    SubjectError,
    chosen_subjects,
    load_subject,
    load_subject_dir,
    sample_subjects,
)
from harness.subjects.placeholders import PLACEHOLDERS, expand, names_in, wait_values

MINIMAL = 'name = "x"\nmechanism = "client_secret_basic"\ncommand = ["run", "{port}"]\n'


def _write(tmp_path: Path, text: str, name: str = "subject.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_file_gets_the_documented_defaults(tmp_path: Path) -> None:
    subject = load_subject(_write(tmp_path, MINIMAL))
    assert subject.mechanism is Mechanism.CLIENT_SECRET_BASIC
    assert subject.routes == Routes()
    assert subject.ready == "/api/public"
    assert subject.cwd == tmp_path.resolve()
    assert subject.startup_timeout == 30.0
    assert subject.expect_fail == frozenset()
    assert subject.protocol == "http"


def test_an_mcp_subject_says_so(tmp_path: Path) -> None:
    assert load_subject(_write(tmp_path, MINIMAL + 'protocol = "mcp"\n')).protocol == "mcp"


def test_a_routes_table_without_scoped_means_no_scoped_route(tmp_path: Path) -> None:
    text = MINIMAL + '[routes]\nprivate = "/api/tasks"\n'
    subject = load_subject(_write(tmp_path, text))
    assert subject.routes.private == Route("/api/tasks")
    assert subject.routes.scoped is None
    assert subject.ready == "/api/public"


def test_ready_defaults_to_the_public_route(tmp_path: Path) -> None:
    subject = load_subject(_write(tmp_path, MINIMAL + '[routes]\npublic = "/healthz"\n'))
    assert subject.ready == "/healthz"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('mechanism = "client_secret_basic"\ncommand = ["a"]\n', ["name", "is missing"]),
        ('name = "x"\ncommand = ["a"]\n', ["mechanism", "private_key_jwt | client_secret_basic"]),
        ('name = "x"\nmechanism = "magic"\ncommand = ["a"]\n', ["mechanism", "'magic'"]),
        ('name = "x"\nmechanism = "client_secret_basic"\n', ["command", "is missing"]),
        ('name = "x"\nmechanism = "client_secret_basic"\ncommand = []\n', ["command", "list"]),
        (MINIMAL + "colour = 1\n", ["colour", "not a known key", "allowed"]),
        (MINIMAL + "startup_timeout = -1\n", ["startup_timeout", "seconds"]),
        (MINIMAL + 'ready = "health"\n', ["ready", "starting with '/'"]),
        (MINIMAL + "jwks_cooldown = -2\n", ["jwks_cooldown", "from 0 to 600"]),
        (MINIMAL + 'cache_ttl = "30"\n', ["cache_ttl", "number of seconds"]),
        (MINIMAL + '[env]\nCD = "{jwks_cooldown_ms}"\n', ["env.CD", "states no jwks_cooldown"]),
        (MINIMAL + "[env]\nPORT = 8080\n", ["env.PORT", "string"]),
        (MINIMAL + '[env]\nX = "{nope}"\n', ["env.X", "{nope}", "allowed", "{issuer}"]),
        (MINIMAL + '[env]\nX = "{api_key_file}"\n', ["env.X", "with a secret, not a key"]),
        (MINIMAL + '[env]\nX = "a{b"\n', ["env.X", "unmatched brace"]),
        (MINIMAL + '[routes]\nadmin = "/a"\n', ["routes.admin", "allowed"]),
        (MINIMAL + 'protocol = "grpc"\n', ["protocol", "'grpc'", "http | mcp"]),
        ("name = ", ["not valid TOML"]),
        (MINIMAL + 'preload = ["fastapi"]\n', ["preload", "needs a Python command"]),
        (MINIMAL + 'preload = "fastapi"\n', ["preload", "list of module names"]),
        (MINIMAL.replace('"run"', '"py", "-m", "app"') + 'preload = ["a b"]\n', ["'a b'"]),
    ],
)
def test_each_mistake_names_the_file_and_the_key(
    tmp_path: Path, text: str, words: list[str]
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SubjectError) as caught:
        load_subject(path)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}:") or message.startswith(f"{path}:")
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("command", "preload"),
    [('"{python}", "-m", "app.main", "{port}"', ("app.main", "fastapi.routing")),
     ('"python3", "serve.py"', ("flask",))],
)  # fmt: skip
def test_a_python_command_may_preload_modules(
    tmp_path: Path, command: str, preload: tuple[str, ...]
) -> None:
    text = MINIMAL.replace('"run", "{port}"', command)
    listed = ", ".join(f'"{name}"' for name in preload)
    assert load_subject(_write(tmp_path, f"{text}preload = [{listed}]\n")).preload == preload
    assert load_subject(_write(tmp_path, text)).preload == ()


def test_an_unknown_check_id_under_expect_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + '[expect]\nfail = ["RFC-nothing"]\n')
    subjects = (load_subject(path),)  # reading the file loads no check: the caller knows them
    with pytest.raises(SubjectError) as caught:
        with_known_expectations(subjects)
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}:")
    assert "expect.fail" in message and "RFC-nothing" in message
    listed = _write(tmp_path, MINIMAL + '[expect]\nfail = ["RFC6750-3.1-no-credentials"]\n')
    assert with_known_expectations((load_subject(listed),))[0].expect_fail


def test_a_private_key_jwt_subject_may_not_ask_for_a_secret(tmp_path: Path) -> None:
    text = MINIMAL.replace("client_secret_basic", "private_key_jwt")
    with pytest.raises(SubjectError, match="with a key, not a secret"):
        load_subject(_write(tmp_path, text + '[env]\nS = "{api_client_secret}"\n'))


def test_a_missing_file_and_an_empty_directory_are_errors(tmp_path: Path) -> None:
    with pytest.raises(SubjectError, match="no such subject file"):
        load_subject(tmp_path / "absent.toml")
    with pytest.raises(SubjectError, match="holds no subject file"):
        load_subject_dir(tmp_path)


def test_two_subjects_of_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _write(tmp_path / "a", MINIMAL)
    _write(tmp_path / "b", MINIMAL)
    with pytest.raises(SubjectError, match="already used"):
        chosen_subjects(directories=[tmp_path])


def test_placeholders_expand_and_double_braces_are_literal() -> None:
    assert names_in("{issuer}/x/{port}") == ["issuer", "port"]
    assert expand("{{json}} {port}", {"port": "8"}) == "{json} 8"


def test_the_samples_have_subject_files() -> None:
    names = {s.name: s.mechanism for s in sample_subjects()}
    assert names["api_jwt"] is Mechanism.PRIVATE_KEY_JWT
    assert names["api_basic_auth"] is Mechanism.CLIENT_SECRET_BASIC


def test_stated_waits_are_kept_and_fill_their_placeholders(tmp_path: Path) -> None:
    text = MINIMAL + 'cache_ttl = 0\njwks_cooldown = 2.5\n[env]\nCD = "{jwks_cooldown_ms}"\n'
    subject = load_subject(_write(tmp_path, text))
    assert (subject.waits.cache_ttl, subject.waits.jwks_cooldown) == (0.0, 2.5)
    assert subject.uses_placeholder("jwks_cooldown_ms") and not subject.uses_placeholder("port2")
    values = wait_values(subject.waits.cache_ttl, subject.waits.jwks_cooldown)
    assert expand(subject.env["CD"], values) == "2500"
    assert subject.waits.key_deadline(35.0, 2.0) == 4.5
    assert load_subject(_write(tmp_path, MINIMAL, "y.toml")).waits.key_deadline(35.0, 2.0) == 35.0


def test_the_docs_list_every_placeholder_and_every_key() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "subjects.md").read_text("utf-8")
    for name in PLACEHOLDERS:
        assert f"`{{{name}}}`" in docs, name
    for key in ("name", "mechanism", "command", "cwd", "ready", "startup_timeout",
                "issuer_timeout", "cache_ttl", "jwks_cooldown", "[routes]", "[env]",
                "[expect]"):  # fmt: skip
        assert f"| `{key}` |" in docs


def test_a_local_jwt_subject_has_no_api_app_credentials(tmp_path: Path) -> None:
    text = MINIMAL.replace("client_secret_basic", "local_jwt") + '[env]\nA = "{api_client_id}"\n'
    with pytest.raises(SubjectError, match="has no API app"):
        load_subject(_write(tmp_path, text))


def test_the_worked_example_in_the_docs_is_a_valid_subject_file(tmp_path: Path) -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "subjects.md").read_text("utf-8")
    example = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    subject = load_subject(_write(tmp_path, example, "orders-api.toml"))
    assert (subject.name, subject.routes.scoped, subject.routes.role) == (
        "orders-api",
        Route("/orders/admin"),
        "admin",
    )
