"""Preloading subjects: instances forked from one interpreter that imported the subject's modules.

The subject is a small script; the module it preloads records which process imported it. Each
instance must still be a process of its own as a new one would be: its own session, argv,
working directory, environment and output, its exit status seen, stopped by its group.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.subjects.file import Subject, load_subject
from harness.subjects.preload import Preloading
from harness.subjects.process import SubjectProcess, SubjectStartError

pytestmark = pytest.mark.e2e

HEAVY = "import os\nIMPORTED_BY = os.getpid()\nopen('imported', 'w').close()\n"
SCRIPT = textwrap.dedent(
    """\
    import http.server, json, os, sys
    import preloaded_heavy

    if os.environ.get("EXIT_AT_ONCE"):
        sys.exit(3)
    print("serving", sys.argv[1], flush=True)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({
                "pid": os.getpid(), "sid": os.getsid(0), "cwd": os.getcwd(), "argv": sys.argv,
                "colour": os.environ.get("COLOUR"), "marker": "HARNESS_SUBJECT_ID" in os.environ,
                "imported_by": preloaded_heavy.IMPORTED_BY,
            }).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
    """
)


PRELOADING: dict[Path, Preloading] = {}  # one per test, as one per target in a run


@pytest.fixture(autouse=True)
def _servers_stopped() -> Iterator[None]:
    yield
    for preloading in PRELOADING.values():
        preloading.stop()
    PRELOADING.clear()


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _subject(tmp_path: Path, preload: str) -> Subject:
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app" / "serve.py").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "app" / "preloaded_heavy.py").write_text(HEAVY, encoding="utf-8")
    (tmp_path / "run").mkdir(exist_ok=True)
    subject_file = tmp_path / "subject.toml"
    subject_file.write_text(
        'name = "preloading"\nmechanism = "client_secret_basic"\ncwd = "run"\n'
        f'command = ["{{python}}", "../app/serve.py", "{{port}}"]\npreload = {preload}\n',
        encoding="utf-8",
    )
    return load_subject(subject_file)


def _start(
    tmp_path: Path, preload: str = '["preloaded_heavy"]', **env: str
) -> tuple[SubjectProcess, str]:
    """An instance of the preloading subject (its environment: ``env``), and its URL."""
    subject = _subject(tmp_path, preload)
    port = str(_port())
    command = [sys.executable, "../app/serve.py", port]
    launch = PRELOADING.setdefault(tmp_path, Preloading(subject)).launcher()
    process = SubjectProcess("preloading", command, env, subject.cwd, launch=launch)
    process.wait_ready(f"http://127.0.0.1:{port}/", 30, str)
    return process, f"http://127.0.0.1:{port}/"


def test_each_instance_is_a_process_of_its_own_forked_from_the_one_that_imported_its_modules(
    tmp_path: Path,
) -> None:
    (first, one), (second, two) = _start(tmp_path, COLOUR="red"), _start(tmp_path, COLOUR="blue")
    try:
        seen = [httpx.get(url).json() for url in (one, two)]
    finally:
        first.stop()
        second.stop()
    for process, url, info, colour in zip(
        (first, second), (one, two), seen, ("red", "blue"), strict=True
    ):
        assert info["pid"] == process.pid == info["sid"]  # a session of its own
        assert info["imported_by"] not in (first.pid, second.pid)  # imported before the fork
        assert info["cwd"] == str(tmp_path / "run")
        assert info["argv"] == ["../app/serve.py", url.rsplit(":", 1)[1].strip("/")]
        assert info["colour"] == colour and info["marker"]
        assert f"stdout: serving {info['argv'][1]}" in process.last_lines(str)
        assert process.exit_code is not None  # stopped, and its exit seen
    assert seen[0]["imported_by"] == seen[1]["imported_by"]  # one server for both


def test_a_preloaded_instance_that_exits_is_reported_with_its_status(tmp_path: Path) -> None:
    with pytest.raises(SubjectStartError, match="exited with status 3 before it was ready"):
        _start(tmp_path, EXIT_AT_ONCE="1")


def test_a_module_that_cannot_be_preloaded_is_named_with_the_server_s_output(
    tmp_path: Path,
) -> None:
    with pytest.raises(SubjectStartError) as caught:
        _start(tmp_path, preload='["no_such_module_here"]')
    message = str(caught.value)
    assert "preload server" in message and "No module named 'no_such_module_here'" in message


def test_a_stopped_instance_leaves_no_process(tmp_path: Path) -> None:
    process, url = _start(tmp_path)
    info = json.loads(httpx.get(url).text)
    process.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(info["pid"], 0)


def test_the_server_starts_and_imports_before_any_instance_is_asked_for(tmp_path: Path) -> None:
    preloading = PRELOADING.setdefault(
        tmp_path, Preloading(_subject(tmp_path, '["preloaded_heavy"]'))
    )
    preloading.start_early()  # a run does so before it starts the issuer
    deadline = time.monotonic() + 30
    while not (tmp_path / "run" / "imported").exists():
        assert time.monotonic() < deadline, "the preload server never imported its module"
        time.sleep(0.02)
