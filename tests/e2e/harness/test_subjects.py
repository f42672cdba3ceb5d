"""Subjects as child processes: started, checked, stopped; failures to start reported, redacted."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from harness.checks import check_by_id
from harness.model.matrix import cell_by_number
from harness.model.results import RunResult, Status, Verdict
from harness.run.runner import Plan, RunNotStarted, run_matrix
from harness.subjects.file import load_subject
from harness.targets.spec import TargetSpec

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[3]

# A stand-in API that says yes to everything: a resource server that checks nothing.
YES_MAN = """
import http.server, os, sys
print("secret is", os.environ.get("SECRET", ""), flush=True)
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


def _subject(tmp_path: Path, script: str, extra: str = "") -> Path:
    (tmp_path / "app.py").write_text(textwrap.dedent(script), encoding="utf-8")
    text = f"""
        name = "probe"
        mechanism = "client_secret_basic"
        command = ["{{python}}", "app.py", "{{port}}"]
        startup_timeout = 5
        {extra}
        [env]
        SECRET = "{{api_client_secret}}"
        PID_FILE = "{tmp_path / "pid"}"
    """
    path = tmp_path / "probe.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _run(path: Path, *check_ids: str) -> RunResult:
    checks = tuple(check_by_id(c) for c in check_ids)
    subject = load_subject(path)
    plan = Plan(TargetSpec(), (cell_by_number(4),), checks, (), subjects=(subject,))
    return run_matrix(plan, workers=1)


def _not_started(path: Path) -> str:
    with pytest.raises(RunNotStarted) as caught:
        _run(path, "RFC6750-3.1-no-credentials", "ROUTE-public-without-token")
    return str(caught.value)


def test_a_subject_that_exits_at_once_is_reported_with_its_redacted_output(
    tmp_path: Path,
) -> None:
    script = 'import os, sys\nprint("boom", os.environ["SECRET"])\nsys.exit(3)\n'
    message = _not_started(_subject(tmp_path, script))
    assert "subject probe, cell(s) 4 could not run" in message
    assert "exited with status 3 before it was ready" in message
    assert "stdout: boom [REDACTED:" in message


def test_a_subject_that_never_becomes_ready_is_reported_as_such(tmp_path: Path) -> None:
    script = "import time\nprint('warming up', flush=True)\ntime.sleep(60)\n"
    path = _subject(tmp_path, script, "startup_timeout = 1")
    path.write_text(path.read_text().replace("startup_timeout = 5\n", ""), encoding="utf-8")
    started = time.monotonic()
    message = _not_started(path)
    assert time.monotonic() - started < 20
    assert "was not ready within 1s" in message
    assert "warming up" in message


def test_a_command_that_does_not_exist_is_named(tmp_path: Path) -> None:
    path = _subject(tmp_path, "")
    path.write_text(path.read_text().replace('"{python}"', '"no-such-program-here"'))
    assert "cannot run 'no-such-program-here'" in _not_started(path)


def test_a_subject_that_cannot_start_beside_one_that_can_leaves_the_run_incomplete(
    tmp_path: Path,
) -> None:
    (tmp_path / "bad").mkdir()
    bad = _subject(tmp_path / "bad", "import sys\nsys.exit(1)\n")
    bad.write_text(bad.read_text().replace('name = "probe"', 'name = "broken"'))
    good = load_subject(REPO / "api_basic_auth" / "subject.toml")
    checks = (check_by_id("ROUTE-public-without-token"),)
    plan = Plan(TargetSpec(), (cell_by_number(4),), checks, (),
                subjects=(load_subject(bad), good))  # fmt: skip
    run = run_matrix(plan, workers=1)
    assert run.verdict is Verdict.INCOMPLETE
    assert any("subject broken, cell(s) 4 could not run" in p for p in run.info.problems)
    assert {r.subject for r in run.results} == {"api_basic_auth"}


def test_a_yes_man_fails_the_refusals_and_its_printed_secret_is_found(tmp_path: Path) -> None:
    run = _run(
        _subject(tmp_path, YES_MAN),
        "ROUTE-public-without-token",
        "RFC6750-3.1-garbage-token",
        "RFC6750-5.3-no-secrets-leaked",
    )
    by_id = {r.check_id: r for r in run.results if r.token_format == "opaque"}
    assert by_id["ROUTE-public-without-token"].status is Status.PASSED
    assert by_id["RFC6750-3.1-garbage-token"].status is Status.FAILED
    leak = by_id["RFC6750-5.3-no-secrets-leaked"]
    assert leak.status is Status.FAILED
    assert "log probe stdout: 'secret is [REDACTED:" in leak.detail


def test_a_listed_deviation_is_reported_but_does_not_fail_the_run(tmp_path: Path) -> None:
    extra = '[expect]\nfail = ["RFC6750-3.1-garbage-token"]'
    path = _subject(tmp_path, YES_MAN)
    path.write_text(path.read_text() + extra + "\n", encoding="utf-8")
    run = _run(path, "ROUTE-public-without-token", "RFC6750-3.1-garbage-token")
    garbage = [r for r in run.results if r.check_id == "RFC6750-3.1-garbage-token"]
    assert {r.status for r in garbage} == {Status.FAILED}
    assert all(r.known_deviation for r in garbage)
    assert run.passed


def test_stopping_a_subject_ends_its_whole_process_group(tmp_path: Path) -> None:
    script = (
        "import os, subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        "open(os.environ['PID_FILE'], 'w').write(str(child.pid))\n" + YES_MAN
    )
    _run(_subject(tmp_path, script), "ROUTE-public-without-token")
    child = int((tmp_path / "pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose; its parent (the subject) reaps or is gone too.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_a_subject_that_dies_on_a_request_fails_that_check_and_is_started_afresh(
    tmp_path: Path,
) -> None:
    script = YES_MAN.replace(
        "    def do_GET(self):\n",
        "    def do_GET(self):\n"
        "        if 'not-a-token' in self.headers.get('Authorization', ''):\n"
        "            os._exit(7)\n",
    )
    run = _run(
        _subject(tmp_path, script),
        "RFC6750-3.1-garbage-token",
        "ROUTE-public-without-token",
    )
    by_id = {r.check_id: r for r in run.results if r.token_format == "opaque"}
    died = by_id["RFC6750-3.1-garbage-token"]
    assert died.status is Status.FAILED
    assert "died during this check (exit status 7)" in died.detail
    assert by_id["ROUTE-public-without-token"].status is Status.PASSED


def test_a_subject_runs_against_a_live_issuer_described_by_an_env_file(tmp_path: Path) -> None:
    from harness.model.matrix import Mode
    from mock_issuer.issuer import MockIssuer

    issuer = MockIssuer().start()
    try:
        env_file = issuer.provision().write_env(tmp_path / "live")
        subject = load_subject(
            Path(__file__).resolve().parents[3] / "api_basic_auth" / "subject.toml"
        )
        checks = tuple(
            check_by_id(c) for c in ("RFC6750-2.1-valid-token", "RFC9110-15.6.4-issuer-down")
        )
        plan = Plan(TargetSpec(Mode.LIVE, env_file), (cell_by_number(4),), checks, (),
                    subjects=(subject,))  # fmt: skip
        run = run_matrix(plan, workers=1)
    finally:
        issuer.stop()
    assert run.info.mode == "live"
    assert {(r.check_id, r.status) for r in run.results} == {
        ("RFC6750-2.1-valid-token", Status.PASSED),
        ("RFC9110-15.6.4-issuer-down", Status.PASSED),
    }
