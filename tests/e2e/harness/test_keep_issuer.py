"""``--keep-issuer``: after the run the report's curl lines work as shown, until Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness.report.curl import curl_line
from harness.report.json_report import read_json

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[3]
CHECK = "RFC6750-2.1-valid-token"


def _kept_run(report: Path) -> tuple[subprocess.Popen[str], list[str]]:
    command = [sys.executable, "-m", "harness", "--cells", "4", "--checks", CHECK,
               "--report", str(report), "--keep-issuer"]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True,
    )  # fmt: skip
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:  # until it says what it keeps
        lines.append(line.rstrip("\n"))
        if line.startswith("  (the .env holds"):
            return process, lines
    raise AssertionError("the run ended without keeping anything:\n" + "\n".join(lines))


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_reports_curl_line_works_as_shown_with_the_token_the_command_says_how_to_get(
    tmp_path: Path,
) -> None:
    report = tmp_path / "matrix.html"
    process, lines = _kept_run(report)
    try:
        source = next(x.strip() for x in lines if x.strip().startswith("set -a; . "))
        token = next(x.strip() for x in lines if x.strip().startswith("TOKEN=$(python -m"))
        result = next(r for r in read_json(report.with_suffix(".json")).results)
        exchange = next(x for x in result.exchanges if "/api/private" in x.url)
        line = curl_line(exchange)
        assert "${TOKEN}" in line
        script = f"{source}\n{token}\n{line} --silent --max-time 10"
        done = subprocess.run(["bash", "-c", script], cwd=REPO, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)  # fmt: skip
        assert re.match(r"HTTP/1\.1 200", done.stdout), done.stdout + done.stderr
        body = done.stdout.replace("\r\n", "\n").split("\n\n", 1)[1]
        assert json.loads(body)["message"]
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0, rest
    assert "Stopping the kept issuer(s) and API(s)." in rest
    assert "Traceback" not in rest


def test_keep_issuer_against_a_live_issuer_is_refused(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("ZITADEL_DOMAIN=https://example.invalid\n")
    done = subprocess.run(
        [sys.executable, "-m", "harness", "--env-file", str(env), "--keep-issuer"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "--keep-issuer keeps the mock issuer" in done.stderr
