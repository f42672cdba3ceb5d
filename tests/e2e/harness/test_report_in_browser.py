"""The report in a real browser (headless Chromium, 1400 x 900): what a reader sees first.

Twelve subjects that fail, and answer with markup, scripts and control characters wherever an
API's text lands in the report (bodies, headers, log lines, the actual answer, the subject's
description): the verdict, the overview and the first failure are on the first screen, and
the page holds no element the report did not draw itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.model.matrix import Mode, cells, variants
from harness.model.results import (
    CheckResult,
    Exchange,
    Level,
    RunInfo,
    RunResult,
    Status,
    SubjectInfo,
)
from harness.report.html import write_report
from tests.browser import measure, on_first_screen

pytestmark = pytest.mark.e2e
HOSTILE = (
    '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'
    "</pre></details></table><iframe src=javascript:alert(4)></iframe>"
    '<form data-hostile="1"><input autofocus onfocus=alert(5)></form>{{ 7*7 }}\x1b]0;pwned\x07'
)
SUBJECTS = tuple(f"hostile-{n:02d}" for n in range(12))


def _hostile_run() -> RunResult:
    exchange = Exchange(
        "GET", "http://127.0.0.1:1/api/private?x=" + HOSTILE,
        {"authorization": "Bearer " + HOSTILE},
        status=200, response_headers={"www-authenticate": HOSTILE}, response_body=HOSTILE,
    )  # fmt: skip
    results: list[CheckResult] = []
    basic = [c for c in cells() if c.mechanism.value == "client_secret_basic"]
    for subject in SUBJECTS:
        for cell in basic:
            for variant in variants(cell, Mode.MOCK):
                results += [
                    CheckResult(cell.number, variant.slug, str(variant.token_format),
                                f"CHECK-{n}", HOSTILE, "RFC 6750 §3.1", Level.MUST, Status.FAILED,
                                expected=HOSTILE, actual=f"HTTP 200; body {HOSTILE}",
                                detail=HOSTILE, exchanges=(exchange,), fail_open=n < 3,
                                subject=subject, api_log=(HOSTILE,) * 3,
                                issuer_exchanges=(exchange,))
                    for n in range(30)
                ]  # fmt: skip
    infos = tuple(SubjectInfo(s, f"{s}.toml", "client_secret_basic", HOSTILE) for s in SUBJECTS)
    info = RunInfo("mock", "http://127.0.0.1:1", "now", 1.0, "python -m harness", subjects=infos,
                   warnings=(HOSTILE,))  # fmt: skip
    return RunResult(info, tuple(results))


def test_the_verdict_overview_and_first_failure_are_on_the_first_screen_and_nothing_injected(
    tmp_path: Path,
) -> None:
    paths = write_report(_hostile_run(), tmp_path / "matrix.html")
    found = measure(paths.html)
    assert found["viewport"][0] == 1400
    assert on_first_screen(found, "verdict") and "FAILED" in found["verdict"]["text"]
    assert on_first_screen(found, "overview") and "hostile-11" in found["overview"]["text"]
    assert on_first_screen(found, "failure") and "FAIL-OPEN" in found["failure"]["text"]
    assert found["injected"] == []
    assert found["elements"] < 45_000
