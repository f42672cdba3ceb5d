"""One banner for one cause: failures grouped by what explains them."""

from __future__ import annotations

from harness.model.results import CheckResult, Exchange, Status
from harness.report.causes import shared_causes

from .conftest import make_result

CHECKS = ("RFC6750-2.1-valid-token", "RFC6750-3.1-role-present", "RFC7662-2.2-revoked-token")
VARIANTS = ("cell1-jwtp-pkjwt-opaque", "cell3-cc-pkjwt-opaque")


def _failed(check_id: str, variant: str = VARIANTS[0], **extra: object) -> CheckResult:
    return make_result(variant, check_id, Status.FAILED, **extra)


def test_an_unreachable_issuer_behind_many_failures_is_one_cause() -> None:
    log = (
        "ERROR oauthkit.api: denied GET /api/private with 503 temporarily_unavailable: "
        "introspection at http://127.0.0.1:9/oauth/v2/introspect failed: ConnectError",
    )
    results = [_failed(c, v, actual="503", api_log=log) for c in CHECKS for v in VARIANTS]
    causes = shared_causes(results)
    assert [c.key for c in causes] == ["issuer-unreachable"]
    assert len(causes[0].results) == 6 and causes[0].checks == CHECKS


def test_the_issuer_refusing_the_apis_credentials_is_named_from_its_exchange() -> None:
    refused = Exchange("POST", "http://issuer/oauth/v2/introspect", status=401,
                       response_body='{"error":"invalid_client"}')  # fmt: skip
    results = [_failed(c, actual="503", issuer_exchanges=(refused,)) for c in CHECKS]
    assert [c.key for c in shared_causes(results)] == ["api-credentials-refused"]


def test_one_check_failing_in_every_cell_is_not_a_shared_cause() -> None:
    results = [_failed(CHECKS[0], v, actual="500", detail="ConnectError") for v in VARIANTS * 3]
    assert shared_causes(results) == []


def test_failures_with_the_same_answer_are_grouped_by_it() -> None:
    results = [_failed(c, actual='200 {"port": 4711}') for c in CHECKS]
    results.append(_failed(CHECKS[0], VARIANTS[1], actual="401 invalid_token"))
    causes = shared_causes(results)
    assert len(causes) == 1 and len(causes[0].results) == 3
    assert "the same answer" in causes[0].title


def test_passed_results_are_never_part_of_a_cause() -> None:
    assert shared_causes([make_result(check_id=c, actual="ConnectError") for c in CHECKS]) == []
