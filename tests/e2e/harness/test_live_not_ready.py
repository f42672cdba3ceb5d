"""A live run that cannot start ends as could-not-start (exit 2) with its cause first and once:
`.env.example` copied as is (the example instance, `change-me`), or an issuer that does not
answer. Nothing runs, so nothing fails 24 times over; the example instance is never contacted."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import httpx
import pytest

import harness
from harness.cli import EXIT_UNUSABLE, main
from harness.targets.live_preflight import EXAMPLE_VALUES
from mock_issuer.issuer import MockIssuer

pytestmark = pytest.mark.e2e
REPO = Path(harness.__file__).resolve().parent.parent
MATRIX_TEST = (REPO / "tests" / "matrix" / "test_matrix.py").read_text(encoding="utf-8")


def _no_network(*_: object) -> httpx.Response:
    raise AssertionError("the harness contacted an issuer it knows does not exist")


def _run(env_file: Path, tmp_path: Path) -> tuple[int, str, str]:
    out = io.StringIO()
    report = tmp_path / "report" / "matrix.html"
    with pytest.MonkeyPatch.context() as patch:
        err = io.StringIO()
        patch.setattr("sys.stderr", err)
        status = main(["--env-file", str(env_file), "--report", str(report)], out=out)
    assert not report.exists()
    return status, out.getvalue(), err.getvalue()


def test_env_example_copied_as_is_could_not_start_naming_the_issuer_and_placeholders_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    shutil.copy(REPO / ".env.example", env_file)
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", _no_network)
    status, out, err = _run(env_file, tmp_path)
    assert status == EXIT_UNUSABLE
    assert out == ""  # no "Running...", no matrix, no 24 identical failures
    lines = err.splitlines()
    assert lines[0] == "error: the run could not start:"
    assert lines[1].startswith(
        "  the issuer https://my-instance.zitadel.cloud cannot be reached: ZITADEL_DOMAIN in "
        f"{env_file} still holds .env.example's example instance"
    )
    assert lines[2].startswith(f"  {env_file} still holds .env.example's values: ")
    for name, value in EXAMPLE_VALUES.items():
        assert err.count(f" {name}={value}") == 1
    assert err.count("cannot be reached") == 1 and len(lines) == 4


def test_an_issuer_that_does_not_answer_could_not_start_and_says_so_once(
    tmp_path: Path,
) -> None:
    issuer = MockIssuer().start()
    env_file = issuer.provision().write_env(tmp_path / "env")
    issuer.stop()  # its port is closed now
    status, out, err = _run(env_file, tmp_path)
    assert status == EXIT_UNUSABLE and out == ""
    lines = err.splitlines()
    assert lines[0] == "error: the run could not start:"
    assert lines[1].startswith(f"  the issuer {issuer.issuer.rstrip('/')} (ZITADEL_DOMAIN in ")
    assert "cannot be reached: discovery at " in lines[1] and "ConnectError" in lines[1]
    assert len(lines) == 2


def test_a_live_pytest_session_from_env_example_stops_before_any_test(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    shutil.copy(REPO / ".env.example", env_file)
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", _no_network)
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    result = pytester.runpytest_inprocess(
        "-p", "harness.pytest_plugin", "--issuer", "live", "--env-file", str(env_file),
        "--report", str(tmp_path / "m.html"),
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*the run could not start:*", "*the issuer https://my-instance.zitadel.cloud cannot*"]
    )
