"""The harness can fail: samples broken on purpose fail exactly the checks about their defect."""

from __future__ import annotations

import httpx
import pytest

import api_local_jwt.app
from harness.checks import check_by_id
from harness.model.matrix import Mechanism, cell_by_number
from harness.model.results import CheckResult, RunInfo, RunResult, Status
from harness.report.html import render_html
from harness.run.runner import Plan, run_cells
from harness.targets.apis import ApiFactory
from harness.targets.mock_keys import SigningKeys
from harness.targets.spec import TargetSpec

from . import broken_apis, broken_lies

pytestmark = pytest.mark.e2e
BASIC = Mechanism.CLIENT_SECRET_BASIC
LOCAL_JWT = Mechanism.LOCAL_JWT


def _run(
    factory: ApiFactory, check_ids: list[str], mechanism: Mechanism = BASIC, cell: int = 4
) -> tuple[list[CheckResult], str]:
    """Run a cell (default 4, client credentials x basic) with a broken API; results and HTML.

    Also proves the HTML holds none of the run's secrets, whatever the API did with them.
    """
    checks = tuple(check_by_id(c) for c in check_ids)
    plan = Plan(TargetSpec(factories={mechanism: factory}), (cell_by_number(cell),), checks)
    target = plan.spec.build()
    try:
        results = [r for _, found in run_cells(target, plan) for r in found]
        run = RunResult(RunInfo("mock", target.issuer, "now", 1.0, "pytest"), tuple(results))
        html = render_html(run)
        leaked = [s for s in target.redactor.secrets if s in html]
    finally:
        target.close()
    assert not leaked
    return results, html


def _statuses(results: list[CheckResult]) -> dict[str, set[Status]]:
    found: dict[str, set[Status]] = {}
    for result in results:
        found.setdefault(result.check_id, set()).add(result.status)
    return found


def test_an_api_that_turns_issuer_errors_into_500_fails_the_5xx_check_only() -> None:
    results, html = _run(
        broken_apis.crashes_on_issuer_errors,
        ["RFC6750-2.1-valid-token", "RFC9110-15.6.4-issuer-5xx", "RFC9110-15.6.4-issuer-slow"],
    )
    assert _statuses(results) == {
        "RFC6750-2.1-valid-token": {Status.PASSED},
        "RFC9110-15.6.4-issuer-5xx": {Status.FAILED},
        "RFC9110-15.6.4-issuer-slow": {Status.PASSED},
    }
    assert "HTTP 500" in html
    failed = next(r for r in results if r.check_id == "RFC9110-15.6.4-issuer-5xx")
    # The mock issuer's side of the API's call: its introspection request and the 500 it got.
    assert [(x.url.rsplit("/", 1)[1], x.status) for x in failed.issuer_exchanges] == [
        ("introspect", 500)
    ]
    assert any("RuntimeError" in line for line in failed.api_log)  # the API's own traceback
    passed = next(r for r in results if r.check_id == "RFC6750-2.1-valid-token")
    assert passed.api_log == () and passed.issuer_exchanges == ()  # kept for failures only


def test_an_api_that_ignores_active_fails_the_inactive_token_checks() -> None:
    failing = [
        "RFC6750-3.1-garbage-token",
        "RFC7662-2.2-revoked-token",
        "RFC7662-2.2-expired-token",
    ]
    results, html = _run(broken_apis.ignores_active, ["RFC6750-3.1-no-credentials", *failing])
    statuses = _statuses(results)
    assert statuses["RFC6750-3.1-no-credentials"] == {Status.PASSED}
    assert all(statuses[check] == {Status.FAILED} for check in failing)
    assert "FAIL" in html and "the status is 200, not 401" in html


def test_an_api_that_logs_tokens_fails_the_no_secrets_check_without_showing_them() -> None:
    results, _ = _run(broken_apis.logs_tokens, ["RFC6750-5.3-no-secrets-leaked"])
    assert {r.status for r in results} == {Status.FAILED}
    assert "api_basic_auth.debugging" in results[0].detail
    assert "[REDACTED:" in results[0].detail


def _run_local_jwt(factory: ApiFactory, check_ids: list[str]) -> dict[str, set[Status]]:
    """Cell 8 (client credentials x local JWT) with a broken api_local_jwt: statuses by check."""
    results, _ = _run(factory, check_ids, LOCAL_JWT, 8)
    return _statuses(results)


FORGERIES = [
    "RFC8725-3.1-alg-none",
    "RFC8725-2.1-hs256-public-key",
    "RFC7515-5.2-foreign-key-known-kid",
]


def test_a_local_jwt_api_that_skips_the_signature_accepts_a_foreign_key() -> None:
    statuses = _run_local_jwt(broken_apis.skips_signature, ["RFC6750-2.1-valid-token", *FORGERIES])
    assert statuses == {
        "RFC6750-2.1-valid-token": {Status.PASSED},
        "RFC8725-3.1-alg-none": {Status.PASSED},  # the allow-list still refuses none
        "RFC8725-2.1-hs256-public-key": {Status.PASSED},  # and HS256
        "RFC7515-5.2-foreign-key-known-kid": {Status.FAILED},
    }


def test_a_local_jwt_api_that_accepts_alg_none_fails_that_check_as_fail_open() -> None:
    results, html = _run(
        broken_apis.accepts_alg_none, ["RFC6750-2.1-valid-token", *FORGERIES], LOCAL_JWT, 8
    )
    statuses = _statuses(results)
    assert statuses.pop("RFC8725-3.1-alg-none") == {Status.FAILED}
    assert set().union(*statuses.values()) == {Status.PASSED}
    assert [r.fail_open for r in results if r.check_id == "RFC8725-3.1-alg-none"] == [True]
    assert "the status is 200, not 401" in html


def test_a_local_jwt_api_that_forgives_padding_fails_the_padded_jwt_check_as_fail_open() -> None:
    results, _ = _run(
        broken_apis.accepts_padding,
        ["RFC6750-2.1-valid-token", "RFC7515-2-padded-jwt"],
        LOCAL_JWT,
        8,
    )
    assert _statuses(results) == {
        "RFC6750-2.1-valid-token": {Status.PASSED},
        "RFC7515-2-padded-jwt": {Status.FAILED},
    }
    assert [r.fail_open for r in results if r.check_id == "RFC7515-2-padded-jwt"] == [True]


def test_a_local_jwt_api_that_ignores_aud_fails_both_audience_checks() -> None:
    statuses = _run_local_jwt(
        broken_apis.ignores_audience,
        ["RFC6750-2.1-valid-token", "RFC9068-4-wrong-audience", "RFC7662-4-wrong-audience"],
    )
    assert statuses == {
        "RFC6750-2.1-valid-token": {Status.PASSED},
        "RFC9068-4-wrong-audience": {Status.FAILED},
        "RFC7662-4-wrong-audience": {Status.FAILED},
    }


def test_the_sample_local_jwt_api_passes_every_local_jwt_check() -> None:
    from harness.checks.local_jwt import CHECKS

    results, _ = _run(api_local_jwt.app.create_app, [c.id for c in CHECKS], LOCAL_JWT, 7)
    failed = [(r.check_id, r.actual) for r in results if r.status is Status.FAILED]
    assert not failed
    assert all(r.status is Status.PASSED for r in results)


def test_a_local_jwt_api_without_a_refresh_cooldown_fails_the_flood_check() -> None:
    results, _ = _run(
        broken_apis.refetches_keys_for_every_unknown_kid,
        ["RFC7517-5-unknown-kid-flood", "RFC7517-5-key-rotation"],
        LOCAL_JWT,
        8,
    )
    statuses = _statuses(results)
    assert statuses == {
        "RFC7517-5-unknown-kid-flood": {Status.FAILED},
        "RFC7517-5-key-rotation": {Status.PASSED},
    }
    flood = next(r for r in results if r.check_id == "RFC7517-5-unknown-kid-flood")
    assert flood.actual.startswith("50 JWKS fetch(es)")


def _failed(results: list[CheckResult]) -> dict[str, bool]:
    """The failed checks, each with whether it failed open."""
    return {r.check_id: r.fail_open for r in results if r.status is Status.FAILED}


LIES = ["RFC7662-2.2-lie-active-string", "RFC7662-2.2-lie-active-one",
        "RFC7662-2.2-lie-active-list", "RFC7662-2.2-lie-expired",
        "RFC7662-4-lie-foreign-audience", "RFC8259-9-lie-huge-body"]  # fmt: skip


def test_an_api_that_reads_active_as_truthy_fails_open_on_exactly_those_lies() -> None:
    results, _ = _run(broken_lies.truthy_active, ["RFC6750-2.1-valid-token", *LIES])
    assert _failed(results) == {
        "RFC7662-2.2-lie-active-string": True,
        "RFC7662-2.2-lie-active-one": True,
        "RFC7662-2.2-lie-active-list": True,
    }


def test_a_lie_the_api_did_not_ask_about_is_asked_again_before_it_is_called_untold() -> None:
    # The first ask is lost (the API answers 503 unasked); asked again, the API refuses the lie.
    results, _ = _run(broken_lies.drops_first_introspection, ["RFC7662-2.2-lie-expired"])
    assert [(r.token_format, r.status) for r in results] == [
        ("opaque", Status.PASSED), ("jwt", Status.PASSED)
    ]  # fmt: skip


ODD = ["RFC6750-2.3-query-token-not-accepted", "RFC6750-2.2-form-token-not-accepted",
       "RFC6750-2-header-and-query-400", "RFC9110-5.3-two-authorization-headers-400",
       "RFC6750-2.1-degenerate-token-refused", "RFC6750-3.1-inactive-token-no-reason"]  # fmt: skip


def test_an_api_that_reads_query_tokens_fails_the_query_checks_only() -> None:
    results, _ = _run(broken_lies.reads_query_tokens, ["RFC6750-2.1-valid-token", *ODD])
    assert _failed(results) == {
        # RFC 6750 §2.3 allows query tokens (MAY), §5.3 advises against them: SHOULD, no fail-open.
        "RFC6750-2.3-query-token-not-accepted": False,
        # The one valid token sent twice: 400 is owed (RFC 6750 §3.1: SHOULD), no fail-open.
        "RFC6750-2-header-and-query-400": False,
    }


LINT = ["RFC6749-2.3-one-client-auth-method", "RFC6749-2.3.1-basic-form-urlencoded"]


def test_an_api_that_does_not_form_urlencode_basic_credentials_fails_that_check_only() -> None:
    results, html = _run(broken_lies.unencoded_basic, ["RFC6750-2.1-valid-token", *LINT])
    assert _failed(results) == {"RFC6749-2.3.1-basic-form-urlencoded": False}
    assert "not form-urlencoded" in html


def test_an_api_that_caches_for_a_minute_fails_the_revocation_figure() -> None:
    check = "RFC7662-4-propagation-revocation"
    results, _ = _run(broken_lies.caches_for_a_minute, ["RFC6750-2.1-valid-token", check])
    assert _failed(results) == {check: False}
    assert all("not noticed" in r.actual for r in results if r.check_id == check)


def test_the_key_no_api_has_seen_is_published_only_once_its_key_set_is_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Published before the outage, a key can reach the API by a fetch for a check beside this
    # one (another kid, a rotation), and the API then lets its token in: fail-open, wrongly.
    seen: list[int] = []
    publish = SigningKeys.publish_new

    def publish_watched(keys: SigningKeys) -> str:
        seen.append(httpx.get(keys._issuer.jwks_uri).status_code)
        return publish(keys)

    monkeypatch.setattr(SigningKeys, "publish_new", publish_watched)
    check = "RFC9110-15.6.4-jwks-down-unknown-key"
    results, _ = _run(api_local_jwt.app.create_app, [check], LOCAL_JWT, 8)
    assert seen and set(seen) == {503}
    assert _statuses(results)[check] == {Status.PASSED}
