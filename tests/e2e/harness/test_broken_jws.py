"""The JWS forgery pack can fail: a validator trusting a token's own keys fails exactly those
checks, the canary counts its fetch (and none from the sample), and an API that lets a ``typ``
of ``JWT`` pass where the issuer issues ``at+jwt`` fails the typ check."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from starlette.types import ASGIApp

import api_local_jwt.app
from harness.checks import check_by_id
from harness.checks.local_jwt import CHECKS
from harness.model.matrix import Mechanism, cell_by_number
from harness.model.results import CheckResult, RunInfo, RunResult, Status
from harness.report.json_report import render_json
from harness.run.runner import Plan, run_cells
from harness.targets.apis import ApiFactory
from harness.targets.mock import MockTarget
from harness.targets.spec import TargetSpec
from oauthkit import ApiSettings

from . import broken_jws
from .test_broken_samples import _failed, _run

pytestmark = pytest.mark.e2e
LOCAL_JWT = Mechanism.LOCAL_JWT
PACK = [c.id for c in CHECKS if c.fn.__module__.endswith(".jws")]
CANARY = ["RFC7515-4.1.2-jku-canary", "RFC7515-4.1.5-x5u-canary", "RFC7515-4.1.6-x5c-canary"]


def _by_id(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.check_id: r for r in results}


def test_the_pack_has_ten_checks_and_the_sample_refuses_each_without_a_fetch() -> None:
    assert len(PACK) == 10
    results, html = _run(api_local_jwt.app.create_app, PACK, LOCAL_JWT, 8)
    assert {r.check_id: r.status for r in results} == dict.fromkeys(PACK, Status.PASSED)
    found = _by_id(results)
    assert all("the canary got 0 fetches" in found[check].actual for check in CANARY)
    # The report says so too, for each canary check (a passed check's detail is its cell's title),
    # and so does its JSON.
    assert html.count("The canary got 0 fetches.") == len(CANARY)
    run = RunResult(RunInfo("mock", "http://issuer", "now", 1.0, "pytest"), tuple(results))
    assert render_json(run).count("the canary got 0 fetches") == len(CANARY)
    assert "refuses ES256 altogether" in found["RFC7518-3.4-psychic-signature"].detail


def test_a_validator_trusting_the_tokens_own_keys_fails_open_on_jwk_and_jku_only() -> None:
    results, html = _run(
        broken_jws.trusts_header_keys, ["RFC6750-2.1-valid-token", *PACK], LOCAL_JWT, 8
    )
    assert _failed(results) == {
        "RFC7515-4.1.3-embedded-jwk": True,
        "RFC7515-4.1.2-jku-canary": True,
    }
    found = _by_id(results)
    assert "the canary got 1 fetch(es) (/jwks.json)" in found["RFC7515-4.1.2-jku-canary"].actual
    assert "the canary got 0 fetches" in found["RFC7515-4.1.5-x5u-canary"].actual
    assert "the canary got 1 fetch(es) (/jwks.json)" in html  # the report names the count


def _strict(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt with JWT_TYP=strict: only at+jwt."""
    rules = dataclasses.replace(settings.credentials, typ="strict")
    return api_local_jwt.app.create_app(dataclasses.replace(settings, credentials=rules))


def _typ_check_with_an_at_jwt_issuer(factory: ApiFactory) -> CheckResult:
    check = check_by_id("RFC9068-4-typ-not-at-jwt")
    plan = Plan(TargetSpec(factories={LOCAL_JWT: factory}), (cell_by_number(8),), (check,))
    target = plan.spec.build()
    try:
        assert isinstance(target, MockTarget)
        target.issuer_server.access_token_typ = "at+jwt"
        (result,) = [r for _, found in run_cells(target, plan) for r in found]
    finally:
        target.close()
    return result


def test_where_the_issuer_issues_at_jwt_typ_jwt_must_be_refused() -> None:
    strict = _typ_check_with_an_at_jwt_issuer(_strict)
    assert strict.status is Status.PASSED
    assert strict.detail == "typ tried: secevent+jwt, dpop+jwt, JWT, None."
    lax = _typ_check_with_an_at_jwt_issuer(api_local_jwt.app.create_app)
    assert (lax.status, lax.fail_open) == (Status.FAILED, True)  # the default policy takes JWT
