"""Fake runs for the report and summary tests: plain data, no servers."""

from __future__ import annotations

import pytest

from harness.model.matrix import Mode, cells, variants
from harness.model.results import CheckResult, Exchange, Level, RunInfo, RunResult, Status

SECRET_TOKEN = "tok-3f9a1c77e2b04d5c8e6f"


def make_result(
    variant: str = "cell1-jwtp-pkjwt-opaque",
    check_id: str = "RFC6750-3.1-no-credentials",
    status: Status = Status.PASSED,
    level: Level = Level.MUST,
    **extra: object,
) -> CheckResult:
    """A result with sensible defaults; ``extra`` overrides any other field."""
    values: dict[str, object] = {
        "cell": int(variant.split("-")[0].removeprefix("cell")),
        "variant": variant,
        "token_format": variant.rsplit("-", 1)[1],
        "check_id": check_id,
        "title": f"title of {check_id}",
        "rfc": "RFC 6750 §3.1",
        "level": level,
        "status": status,
        "duration_s": 0.012,
    }
    values.update(extra)
    return CheckResult(**values)  # type: ignore[arg-type]


@pytest.fixture
def full_run() -> RunResult:
    """Every mock variant with two passing checks; cell 3's opaque variant fails one MUST check."""
    results = []
    for cell in cells():
        for variant in variants(cell, Mode.MOCK):
            results.append(make_result(variant.slug, "ROUTE-public-without-token"))
            failing = variant.slug == "cell3-cc-pkjwt-opaque"
            results.append(
                make_result(
                    variant.slug,
                    "RFC6750-3.1-garbage-token",
                    Status.FAILED if failing else Status.PASSED,
                    expected="401 invalid_token",
                    actual="200" if failing else "401 invalid_token",
                    exchanges=(
                        Exchange(
                            "GET",
                            "http://127.0.0.1:1/api/private",
                            {"authorization": "Bearer [REDACTED:0badf00d]"},
                            status=200,
                            response_body='{"ok": true}',
                        ),
                    ),
                )
            )
            results.append(
                make_result(variant.slug, "RFC7662-2.2-expired-token", Status.NOT_APPLICABLE)
            )
    info = RunInfo(
        mode="mock",
        issuer="http://127.0.0.1:1",
        started_at="2026-01-01T00:00:00+00:00",
        duration_s=3.5,
        command="python -m harness",
        versions={"python": "3.11"},
    )
    return RunResult(info, tuple(results))
