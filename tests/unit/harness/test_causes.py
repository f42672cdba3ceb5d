"""Causes: a subject's failures grouped by what explains them, with advice that is true."""

from __future__ import annotations

from harness.model.results import CheckResult, Exchange, RunInfo, Status, SubjectInfo
from harness.report.causes import causes_of, excerpt

from .conftest import make_result

CHECKS = ("RFC6750-2.1-valid-token", "RFC6750-3.1-role-present", "RFC7662-2.2-revoked-token")
VARIANTS = ("cell2-jwtp-basic-opaque", "cell4-cc-basic-opaque")
REFUSED_LOG = ("ERROR app: the issuer refused the API's own credentials (client_id x)",)
THEIRS = SubjectInfo(
    "orders-api",
    "orders.toml",
    "client_secret_basic",
    settings=(("api_client_id", "INTROSPECT_ID"), ("api_client_secret", "INTROSPECT_SECRET")),
)


def _failed(check_id: str, variant: str = VARIANTS[0], **extra: object) -> CheckResult:
    return make_result(variant, check_id, Status.FAILED, **extra)


def _info(mode: str = "mock", *subjects: SubjectInfo) -> RunInfo:
    return RunInfo(mode, "http://127.0.0.1:1", "now", 1.0, "python -m harness", subjects=subjects)


def test_an_unreachable_issuer_behind_many_failures_is_one_cause() -> None:
    log = (
        "ERROR oauthkit.api: denied GET /api/private with 503 temporarily_unavailable: "
        "introspection at http://127.0.0.1:9/oauth/v2/introspect failed: ConnectError",
    )
    results = [_failed(c, v, actual="503", api_log=log) for c in CHECKS for v in VARIANTS]
    causes = causes_of(results)
    assert [c.key for c in causes] == ["issuer-unreachable"]
    assert len(causes[0].results) == 6 and causes[0].checks == CHECKS


def test_the_issuer_refusing_the_apis_credentials_is_named_from_its_exchange() -> None:
    refused = Exchange("POST", "http://issuer/oauth/v2/introspect", status=401,
                       response_body='{"error":"invalid_client"}')  # fmt: skip
    results = [_failed(c, actual="503", issuer_exchanges=(refused,)) for c in CHECKS]
    assert [c.key for c in causes_of(results)] == ["api-credentials-refused"]


def test_failures_with_the_same_answer_are_one_cause_titled_by_that_answer() -> None:
    results = [_failed(c, actual='HTTP 200; body {"port": 4711}') for c in CHECKS]
    results.append(_failed(CHECKS[0], VARIANTS[1], actual="HTTP 401; body no"))
    causes = causes_of(results)
    assert [len(c.results) for c in causes] == [3, 1]
    assert causes[0].title == 'HTTP 200; body {"port": 4711}'


def test_causes_come_worst_first_fail_open_before_a_bigger_must_group() -> None:
    many = [_failed(c, actual="HTTP 500") for c in CHECKS]
    open_ = [_failed(CHECKS[0], VARIANTS[1], actual="HTTP 200", fail_open=True)]
    assert [c.title for c in causes_of(many + open_)] == ["HTTP 200", "HTTP 500"]


def test_passed_results_are_never_part_of_a_cause() -> None:
    assert causes_of([make_result(check_id=c, actual="ConnectError") for c in CHECKS]) == []


def test_an_answer_is_quoted_short_in_one_line_with_tags_and_controls_made_harmless() -> None:
    quoted = excerpt("HTTP 500; body <html>\n<title>Oops&nbsp;now</title>\x1b[31m" + "x" * 200)
    assert quoted.startswith("HTTP 500; body Oops now \\x1b[31m") and quoted.endswith("…")
    assert "\n" not in quoted and "<" not in quoted and len(quoted) <= 90


def test_a_fault_the_harness_injected_gets_no_fix_hint() -> None:
    injected = "the harness makes the issuer fail on purpose"
    results = [
        _failed(c, actual="HTTP 401", api_log=REFUSED_LOG, injected=injected) for c in CHECKS
    ]
    (cause,) = causes_of(results, _info())
    assert cause.key.startswith("answer:") and cause.advice == ""
    assert cause.injected == injected


def test_the_advice_names_the_subjects_own_settings_not_the_samples() -> None:
    results = [_failed(c, actual="HTTP 503", api_log=REFUSED_LOG, subject="orders-api")
               for c in CHECKS]  # fmt: skip
    (mock,) = causes_of(results, _info("mock", THEIRS))
    assert "INTROSPECT_ID, INTROSPECT_SECRET" in mock.advice
    assert "API_CLIENT_SECRET" not in mock.advice and "api_basic_auth" not in mock.advice
    (live,) = causes_of(results, _info("live", THEIRS))
    assert "API_CLIENT_ID, API_CLIENT_SECRET in the .env" in live.advice
    assert "orders-api reads INTROSPECT_ID, INTROSPECT_SECRET" in live.advice


def test_a_subject_given_no_credentials_is_told_so() -> None:
    bare = SubjectInfo("bare", "bare.toml", "client_secret_basic", settings=(("port", "PORT"),))
    results = [_failed(c, api_log=REFUSED_LOG, subject="bare") for c in CHECKS]
    (cause,) = causes_of(results, _info("mock", bare))
    assert "gives it none of its API app's credentials" in cause.advice


def test_the_sample_reading_the_env_file_is_told_its_env_variables() -> None:
    sample = SubjectInfo("api_jwt", "api_jwt/subject.toml", "private_key_jwt",
                         settings=(("env_file", "its command line"),))  # fmt: skip
    results = [_failed(c, "cell1-jwtp-pkjwt-opaque", api_log=REFUSED_LOG, subject="api_jwt")
               for c in CHECKS]  # fmt: skip
    (cause,) = causes_of(results, _info("live", sample))
    assert "Check API_PRIVATE_KEY_FILE in the .env" in cause.advice
