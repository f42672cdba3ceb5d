"""A hostile, chatty subject (``hostile_api.py``): its report stays bounded and holds no secret.

A short form of ``python -m benchmarks.hostile_report`` (a few checks, 2 MB of log per request),
whose figures the benchmark's README gives for the whole cell: every habit of the subject (the
token echoed at a new offset, a 30 MB body, a gzip bomb, control characters, UTF-16, markup) is
answered at least once, and no 8 characters of any secret the run knew reach the HTML, the JSON
or the terminal.
"""

from __future__ import annotations

import pytest

from benchmarks.hostile_report import GOALS, measure, met

pytestmark = pytest.mark.e2e
CHECKS = (
    "RFC6750-2.1-valid-token", "RFC6750-3.1-garbage-token", "RFC6750-3.1-no-credentials",
    "RFC6750-3.1-other-scheme", "RFC6750-5.3-no-secrets-leaked",
    "RFC9110-11.1-scheme-case-insensitive", "RFC7662-2.2-revoked-token",
)  # fmt: skip


def test_a_hostile_chatty_subject_gets_a_bounded_report_without_a_secret_fragment() -> None:
    found = measure("4", CHECKS, log_mb=2)
    assert found.results == 2 * len(CHECKS) and found.failed > 0
    assert found.secrets > 0 and found.leaks == 0
    goals = met(found)  # peak RSS is the benchmark's: a test worker's is every test's
    assert goals["html_mb"] and goals["json_mb"], (found, GOALS)
