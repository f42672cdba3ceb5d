"""Subject files read character by character: a control character is an error naming the
file and the key (and the character), never the value, and never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from harness.cli import EXIT_UNUSABLE, main
from harness.subjects.file import SubjectError, load_subject

HEAD = 'name = "x"\nmechanism = "client_secret_basic"\n'
COMMAND = 'command = ["run", "{port}"]\n'


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "subject.toml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def _error(tmp_path: Path, text: str | bytes) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(SubjectError) as caught:
        load_subject(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message


# TOML escapes (\u0000, \r, \n) put control characters in values a loader must refuse.
@pytest.mark.parametrize(
    ("text", "words"),
    [
        (HEAD + COMMAND + '[env]\nSECRET = "s3cr3t\\u0000"\n',
         ["env.SECRET", "U+0000 (NUL)", "at character 7"]),
        (HEAD + 'command = ["run", "--flag\\u0000", "{port}"]\n', ["command[1]", "U+0000 (NUL)"]),
        (HEAD + COMMAND + '[routes]\nprivate = "/api/x\\r\\nX-Injected: 1"\n',
         ["routes.private", "U+000D (CR)"]),
        (HEAD + COMMAND + '[routes]\npublic = "/api/\\nx"\n', ["routes.public", "U+000A (LF)"]),
        (HEAD + COMMAND + 'ready = "/api/public\\t"\n', ["ready", "U+0009 (TAB)"]),
        ('name = "x\\u001b[31m"\nmechanism = "client_secret_basic"\n' + COMMAND,
         ["name", "U+001B (ESC)"]),
        (HEAD + COMMAND + '[routes]\nrole = "read\\u007f"\n', ["routes.role", "U+007F (DEL)"]),
        (HEAD + COMMAND + 'cwd = "sub\\u0085dir"\n', ["cwd", "U+0085"]),
        (HEAD + COMMAND + 'description = "one\\rtwo"\n', ["description", "U+000D (CR)"]),
        (HEAD + COMMAND + '[env]\nA = "line\\r\\n"\n', ["env.A", "U+000D (CR)"]),
        (HEAD + COMMAND + '[expect]\nfail = ["RFC6750-3.1\\u0007"]\n',
         ["expect.fail[0]", "U+0007"]),
        (HEAD + COMMAND + '[env]\n"A\\u0000B" = "x"\n', ["a key in [env]", "U+0000 (NUL)"]),
        (HEAD + COMMAND + '"\\u001b]0;title\\u0007" = 1\n', ["a top-level key", "U+001B (ESC)"]),
    ],
    ids=["nul-in-env", "nul-in-command", "crlf-in-route", "lf-in-route", "tab-in-ready",
         "esc-in-name", "del-in-role", "c1-in-cwd", "cr-in-description", "cr-in-env",
         "bel-in-expect", "nul-in-env-name", "esc-in-top-level-key"],
)  # fmt: skip
def test_a_control_character_is_an_error_naming_the_key_and_the_character(
    tmp_path: Path, text: str, words: list[str]
) -> None:
    message = _error(tmp_path, text)
    for word in words:
        assert word in message
    assert "\x00" not in message and "\x1b" not in message and "\r" not in message


def test_the_error_never_shows_the_value(tmp_path: Path) -> None:
    message = _error(tmp_path, HEAD + COMMAND + '[env]\nSECRET = "s3cr3t-value\\u0000"\n')
    assert "s3cr3t" not in message


def test_tab_and_lf_are_allowed_where_text_may_span_lines(tmp_path: Path) -> None:
    text = (
        HEAD
        + 'description = """two\n\tlines"""\n'
        + 'command = ["python", "-c", "import sys\\nprint(1)", "{port}"]\n'
        + '[env]\nKEY = "-----BEGIN-----\\nabc\\n-----END-----\\n"\n'
    )
    subject = load_subject(_write(tmp_path, text))
    assert subject.description == "two\n\tlines"
    assert subject.command[2] == "import sys\nprint(1)"
    assert subject.env["KEY"].count("\n") == 3


def test_bytes_that_are_not_utf8_are_named_by_offset(tmp_path: Path) -> None:
    before = HEAD.encode() + b'command = ["run'
    message = _error(tmp_path, before + b'\xff"]\n')
    assert f"is not UTF-8 text (byte {len(before)} is invalid)" in message


def test_a_byte_order_mark_is_not_part_of_the_toml(tmp_path: Path) -> None:
    subject = load_subject(_write(tmp_path, b"\xef\xbb\xbf" + (HEAD + COMMAND).encode()))
    assert subject.name == "x"


def test_the_command_line_reports_a_nul_in_env_as_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, HEAD + COMMAND + '[env]\nTOKEN = "a\\u0000b"\n')
    status = main(["--subject", str(path), "--report", str(tmp_path / "r.html")], io.StringIO())
    error = capsys.readouterr().err
    assert status == EXIT_UNUSABLE
    assert error.startswith(f"error: {path}: env.TOKEN holds the control character U+0000")
    assert "Traceback" not in error and "embedded null byte" not in error
