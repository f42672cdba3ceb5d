"""The commands as a user runs them: a closed stdout, a taken port, an unwritable folder and the
address the mock issuer really listens on end in one clear line, never a traceback."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import harness
from oauthkit.commands import EXIT_BROKEN_PIPE

pytestmark = pytest.mark.e2e
REPO = Path(harness.__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def command(*args: str, stdout: int | None = subprocess.PIPE, env: dict[str, str] = ENV
            ) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run `python -m ...` from the repository; its output as text."""
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, env=env, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=60)  # fmt: skip


def with_closed_stdout(*args: str, env: dict[str, str] = ENV) -> subprocess.CompletedProcess[str]:
    """Run a command whose stdout is a pipe nobody reads any more (as `| head` after exit)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return command(*args, stdout=write_end, env=env)
    finally:
        os.close(write_end)


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_client_whose_reader_went_away_exits_141_without_a_traceback() -> None:
    done = with_closed_stdout("service_user_pat", env={**ENV, "PERSONAL_ACCESS_TOKEN": "pat-1"})
    assert (done.returncode, done.stderr) == (EXIT_BROKEN_PIPE, "")


def test_the_harness_whose_reader_went_away_exits_141_without_a_traceback(tmp_path: Path) -> None:
    done = with_closed_stdout("harness", "--cells", "1", "--report", str(tmp_path / "m.html"))
    assert (done.returncode, done.stderr) == (EXIT_BROKEN_PIPE, "")


def test_an_api_on_a_taken_port_says_so_in_one_line_and_exits_2(
    taken_port: int, tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("ZITADEL_DOMAIN=http://127.0.0.1:9\nPROJECT_ID=1\n"
                        "API_CLIENT_ID=2\nAPI_CLIENT_SECRET=s\n")  # fmt: skip
    done = command("api_basic_auth", "--env-file", str(env_file), "--port", str(taken_port))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"cannot listen on 127.0.0.1:{taken_port}" in done.stderr


def test_the_mock_issuer_on_a_taken_port_says_so_in_one_line_and_exits_2(taken_port: int) -> None:
    done = command("mock_issuer", "--port", str(taken_port))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and f"127.0.0.1:{taken_port}" in done.stderr


def test_an_unwritable_write_env_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    done = command("mock_issuer", "--port", "0", "--write-env", str(tmp_path / "a-file" / "env"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: --write-env ") and done.stderr.count("\n") == 1


def test_an_unwritable_report_folder_stops_the_harness_before_it_runs(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    done = command("harness", "--report", str(tmp_path / "a-file" / "matrix.html"))
    assert done.returncode == 2
    assert "--report: cannot create" in done.stderr and "Traceback" not in done.stderr
    assert "Running" not in done.stdout


def test_the_mock_issuer_prints_where_it_listens_beside_its_issuer_url() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_issuer", "--port", "0", "--log-level", "warning",
         "--issuer-url", "https://issuer.example"],
        cwd=REPO, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("serving"):
                break
        printed = "".join(lines)
        assert "issuer: https://issuer.example\n" in printed
        listening = re.search(r"listening on: +(http://127\.0\.0\.1:(\d+))\n", printed)
        assert listening and listening.group(2) != "0", printed
        discovery = httpx.get(listening.group(1) + "/.well-known/openid-configuration").json()
        assert discovery["issuer"] == "https://issuer.example"
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=15)
    assert process.returncode == 0


def test_the_mock_issuer_whose_reader_went_away_keeps_serving(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    env_dir = tmp_path / "env"
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_issuer", "--port", "0", "--write-env", str(env_dir)],
        cwd=REPO, env=ENV, stdout=write_end, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    os.close(write_end)
    try:
        issuer = wait_for_issuer(env_dir / ".env", process)
        assert httpx.get(issuer + "/.well-known/openid-configuration").status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "Traceback" not in stderr


def wait_for_issuer(env_file: Path, process: subprocess.Popen[str]) -> str:
    """The issuer URL from the `.env` the mock writes once it serves (it prints nowhere)."""
    while process.poll() is None:
        if env_file.is_file():
            values = dict(line.split("=", 1) for line in env_file.read_text().splitlines()
                          if "=" in line and not line.startswith("#"))  # fmt: skip
            if "EXPECTED_ROLES_PAT" in values:  # written last
                return values["ZITADEL_DOMAIN"]
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)  # returns early if the child exits
    raise AssertionError(f"the mock issuer exited with {process.returncode}")
