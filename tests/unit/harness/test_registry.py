"""The check registry: unique ids naming their rule, and applicability as data."""

from __future__ import annotations

import re

import pytest

from harness.checks import ALL_CHECKS, Check, check_by_id
from harness.checks.base import Where
from harness.model.matrix import Mode, TokenFormat, Variant, cell_by_number
from harness.model.results import Level
from harness.observations import ALL_OBSERVATIONS, observation_by_id

ID = re.compile(
    r"^(RFC\d{4}-[\d.]+|ROUTE|ZITADEL-roles|MCP-(authz|transport)|OPENAPI-(document|secured|guard))"
    r"-[a-z0-9-]+$"
)


def test_check_ids_are_unique() -> None:
    ids = [c.id for c in ALL_CHECKS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.id)
def test_each_check_names_its_rule_and_cites_an_rfc_section(check: Check) -> None:
    assert ID.match(check.id)
    assert "§" in check.rfc


def test_the_issue_s_minimum_checks_are_all_registered() -> None:
    required = {
        "RFC6749-5.1-token-response",
        "ROUTE-public-without-token",
        "RFC6750-2.1-valid-token",
        "RFC6750-3.1-no-credentials",
        "RFC6750-3.1-other-scheme",
        "RFC6750-3.1-malformed-header",
        "RFC9110-11.1-scheme-case-insensitive",
        "RFC6750-3.1-garbage-token",
        "RFC7662-2.2-revoked-token",
        "RFC7662-2.2-expired-token",
        "RFC7662-4-wrong-audience",
        "RFC6750-3.1-role-present",
        "RFC6750-3.1-insufficient-scope",
        "RFC9110-15.6.4-issuer-down",
        "RFC9110-15.6.4-issuer-slow",
        "RFC9110-15.6.4-issuer-5xx",
        "RFC9110-15.6.4-issuer-malformed-json",
        "RFC7662-2.1-issuer-rejects-api-credentials",
        "RFC6750-5.3-no-secrets-leaked",
    }
    assert required <= {c.id for c in ALL_CHECKS}


LOCAL_JWT_CHECKS = {
    "RFC9068-4-opaque-token",
    "RFC8725-3.1-alg-none",
    "RFC8725-2.1-hs256-public-key",
    "RFC7515-2-padded-jwt",
    "RFC7515-5.2-foreign-key-known-kid",
    "RFC9068-4-wrong-issuer",
    "RFC9068-4-wrong-audience",
    "RFC7519-4.1.4-expired-jwt",
    "RFC7519-4.1.5-not-yet-valid",
    "RFC9068-4-id-token",
    "RFC7517-5-unknown-kid-flood",
    "RFC7517-5-key-rotation",
    "RFC7517-5-jwks-down-cached-key",
    "RFC9110-15.6.4-jwks-down-unknown-key",
    "RFC9068-4-revoked-jwt-accepted-until-exp",
}


@pytest.mark.parametrize("check_id", sorted(LOCAL_JWT_CHECKS))
def test_local_jwt_checks_apply_to_the_local_jwt_column_only(check_id: str) -> None:
    check = check_by_id(check_id)
    local = Variant(cell_by_number(8), TokenFormat.JWT)
    assert check.not_applicable_because(local, Mode.MOCK) is None
    introspected = Variant(cell_by_number(4), TokenFormat.JWT)
    assert "introspects" in (check.not_applicable_because(introspected, Mode.MOCK) or "")


@pytest.mark.parametrize(
    "check_id",
    [
        "RFC7662-2.2-revoked-token",
        "RFC7662-2.2-expired-token",
        "RFC9110-15.6.4-issuer-5xx",
        "RFC7662-2.1-issuer-rejects-api-credentials",
    ],
)
def test_introspection_checks_are_not_applicable_to_local_jwt_with_a_reason(
    check_id: str,
) -> None:
    reason = check_by_id(check_id).not_applicable_because(
        Variant(cell_by_number(7), TokenFormat.JWT), Mode.MOCK
    )
    assert reason and ("revocation" in reason or "clock" in reason or "introspection" in reason)


def test_every_check_is_not_applicable_to_pat_by_local_jwt_because_a_pat_is_opaque() -> None:
    variant = Variant(cell_by_number(9), TokenFormat.OPAQUE)
    for check in ALL_CHECKS:
        assert "a PAT is opaque" in (check.not_applicable_because(variant, Mode.LIVE) or "")


def test_opaque_live_tokens_make_the_local_jwt_column_not_applicable() -> None:
    variant = Variant(cell_by_number(7), TokenFormat.OPAQUE)
    reason = check_by_id("RFC6750-2.1-valid-token").not_applicable_because(variant, Mode.LIVE)
    assert reason and "INTROSPECT_JWT_ACCESS_TOKENS" in reason


def test_mock_only_checks_are_not_applicable_against_a_live_issuer() -> None:
    check = check_by_id("RFC7662-2.2-expired-token")
    assert check.where is Where.MOCK
    reason = check.not_applicable_because(Variant(cell_by_number(1), TokenFormat.OPAQUE), Mode.LIVE)
    assert reason is not None and "mock" in reason


def test_grant_specific_checks_give_their_reason_for_other_grants() -> None:
    check = check_by_id("RFC7662-4-wrong-audience")
    pat = Variant(cell_by_number(6), TokenFormat.OPAQUE)
    assert "PAT" in str(check.not_applicable_because(pat, Mode.MOCK))
    cc = Variant(cell_by_number(4), TokenFormat.JWT)
    assert check.not_applicable_because(cc, Mode.MOCK) is None


def test_there_are_must_should_and_informational_checks() -> None:
    assert {c.level for c in ALL_CHECKS} == {Level.MUST, Level.SHOULD, Level.MAY}


def test_observations_are_found_by_id_and_an_unknown_one_is_refused_with_the_known_ids() -> None:
    first = ALL_OBSERVATIONS[0]
    assert observation_by_id(first.id) is first
    with pytest.raises(KeyError, match=r"No observation has the id 'nope'\. None is close"):
        observation_by_id("nope")


def test_a_misspelt_check_id_gets_the_closest_ids_not_all_of_them() -> None:
    with pytest.raises(KeyError) as caught:
        check_by_id("RFC6750-3.1-no-credential")
    message = str(caught.value)
    assert "Did you mean RFC6750-3.1-no-credentials" in message
    assert message.count("RFC") < 10 and f"{len(ALL_CHECKS)} check ids in all" in message


def test_an_unknown_check_id_far_from_every_id_says_none_is_close_and_shows_their_shape() -> None:
    with pytest.raises(KeyError) as caught:
        check_by_id("NOPE")
    message = str(caught.value.args[0])
    assert "Did you mean" not in message
    assert "None is close; check ids look like " in message and message.count(",") <= 3
