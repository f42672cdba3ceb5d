"""Honest verdicts: PASSED only when everything that should run ran and passed."""

from __future__ import annotations

import json

import pytest

from harness.model.results import (
    MAX_BODY,
    TRUNCATED_MARK,
    CheckResult,
    Exchange,
    Level,
    RunInfo,
    RunResult,
    Status,
    Verdict,
    clip_body,
)
from harness.report.json_report import render_json
from harness.report.summary import count
from harness.report.terminal import causes_text, verdict_text

from .conftest import make_result

PASSED = make_result()
MUST_FAILED = make_result(check_id="RFC6750-3.1-garbage-token", status=Status.FAILED)
SHOULD_FAILED = make_result(check_id="RFC6750-3-error-body-json", status=Status.FAILED,
                            level=Level.SHOULD)  # fmt: skip
FAIL_OPEN = make_result(check_id="RFC6750-3.1-garbage-token", status=Status.FAILED,
                        level=Level.SHOULD, fail_open=True)  # fmt: skip
NOT_APPLICABLE = make_result(check_id="RFC7662-2.2-expired-token", status=Status.NOT_APPLICABLE)
NOT_CONFIGURED = make_result(
    "cell2-jwtp-basic-opaque", status=Status.NOT_CONFIGURED, variable="API_CLIENT_ID",
    detail="API_CLIENT_ID is not set (looked in .env)",
)  # fmt: skip


def _run(*results: CheckResult, problems: tuple[str, ...] = ()) -> RunResult:
    info = RunInfo("live", "https://issuer.example", "now", 1.0, "python -m harness",
                   problems=problems)  # fmt: skip
    return RunResult(info, results)


@pytest.mark.parametrize(
    ("results", "problems", "verdict"),
    [
        ((PASSED,), (), Verdict.PASSED),
        ((PASSED, NOT_APPLICABLE), (), Verdict.PASSED),
        ((PASSED, SHOULD_FAILED), (), Verdict.PASSED),
        ((PASSED, MUST_FAILED), (), Verdict.FAILED),
        ((PASSED, FAIL_OPEN), (), Verdict.FAILED),
        ((MUST_FAILED, NOT_CONFIGURED), (), Verdict.FAILED),
        ((PASSED, NOT_CONFIGURED), (), Verdict.INCOMPLETE),
        ((NOT_APPLICABLE,), (), Verdict.INCOMPLETE),
        ((), (), Verdict.INCOMPLETE),
        ((PASSED,), ("A worker stopped: ConnectError",), Verdict.INCOMPLETE),
    ],
    ids=["all-passed", "n/a-is-not-a-gap", "should-only", "must-failed", "fail-open",
         "failed-beats-incomplete", "not-configured", "nothing-ran", "empty", "worker-died"],
)  # fmt: skip
def test_the_verdict_of_a_run(
    results: tuple[CheckResult, ...], problems: tuple[str, ...], verdict: Verdict
) -> None:
    run = _run(*results, problems=problems)
    assert run.verdict is verdict
    assert run.passed is (verdict is Verdict.PASSED)


def test_missing_settings_are_grouped_by_variable() -> None:
    other = make_result("cell4-cc-basic-opaque", status=Status.NOT_CONFIGURED,
                        variable="API_CLIENT_ID")  # fmt: skip
    run = _run(PASSED, NOT_CONFIGURED, other)
    assert list(run.missing) == ["API_CLIENT_ID"]
    assert [r.cell for r in run.missing["API_CLIENT_ID"]] == [2, 4]


def test_the_terminal_names_each_missing_variable_and_each_warning() -> None:
    info = RunInfo("live", "x", "now", 1.0, "c", warnings=("api_jwt: API_AUDIENCE is empty",))
    lines = verdict_text(RunResult(info, (PASSED, NOT_CONFIGURED)))
    assert lines[0].startswith("Verdict: INCOMPLETE")
    text = "\n".join(lines)
    assert "not configured: API_CLIENT_ID (1 check(s), cell(s) 2)" in text
    assert "API_CLIENT_ID is not set (looked in .env)" in text
    assert "warning: api_jwt: API_AUDIENCE is empty" in text


@pytest.mark.parametrize(
    ("results", "colour"),
    [
        ((PASSED,), "pass"),
        ((PASSED, NOT_CONFIGURED), "incomplete"),
        ((NOT_CONFIGURED,), "not_configured"),
        ((PASSED, SHOULD_FAILED), "warn"),
        ((PASSED, MUST_FAILED), "fail"),
        ((MUST_FAILED, FAIL_OPEN), "fail_open"),
    ],
)
def test_a_cell_only_partly_run_is_not_green_and_fail_open_is_worst(
    results: tuple[CheckResult, ...], colour: str
) -> None:
    assert count(results).verdict == colour


def test_the_json_carries_the_verdict_totals_and_missing_settings() -> None:
    data = json.loads(render_json(_run(PASSED, FAIL_OPEN, NOT_CONFIGURED)))
    assert data["verdict"] == "FAILED"
    assert data["totals"]["passed"] == 1 and data["totals"]["fail_open"] == 1
    assert data["totals"]["total"] == 3
    assert data["missing"] == {"API_CLIENT_ID": 1}
    again = RunResult.from_dict(data)
    assert again.results == (PASSED, FAIL_OPEN, NOT_CONFIGURED)


def test_a_result_keeps_the_api_log_and_its_issuer_exchanges_through_json() -> None:
    call = Exchange("POST", "http://issuer/oauth/v2/introspect", status=401, response_body="{}")
    result = make_result(status=Status.FAILED, api_log=("ERROR oauthkit.api: denied",),
                         issuer_exchanges=(call,))  # fmt: skip
    assert CheckResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_a_report_of_an_older_run_without_the_new_fields_still_loads() -> None:
    data = _run(PASSED).to_dict()
    for name in ("warnings", "problems"):
        del data["info"][name]
    for name in ("variable", "api_log", "issuer_exchanges", "fail_open", "subject"):
        del data["results"][0][name]
    assert RunResult.from_dict(data).results == (PASSED,)


def test_long_bodies_keep_their_head_and_tail_with_a_mark_counting_what_was_left_out() -> None:
    assert clip_body("short") == "short"
    text = "h" * 3000 + "t" * 3000
    clipped = clip_body(text)
    head, rest = clipped.split(TRUNCATED_MARK)
    assert head.strip("\n") == "h" * (MAX_BODY * 3 // 4)
    assert rest.endswith("t" * (MAX_BODY // 4))
    assert f"{len(text) - MAX_BODY:,} of {len(text):,} characters left out" in rest


def test_the_terminal_names_a_cause_shared_by_many_failures_once() -> None:
    log = ("ERROR oauthkit.api: the issuer refused the API's own credentials",)
    failed = [
        make_result(v, c, Status.FAILED, actual="503", api_log=log)
        for v in ("cell2-jwtp-basic-opaque", "cell4-cc-basic-opaque")
        for c in ("RFC6750-2.1-valid-token", "RFC6750-3.1-role-present")
    ]
    lines = causes_text(_run(*failed))
    assert lines[0] == (
        "api_basic_auth: 4 failure(s) of 2 check(s): The issuer refused the API's own credentials"
    )
    assert "API_CLIENT_ID, API_CLIENT_SECRET" in lines[1]
    assert causes_text(_run(PASSED)) == []
