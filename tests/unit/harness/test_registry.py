"""The check registry: unique ids naming their rule, and applicability as data."""

from __future__ import annotations

import re

import pytest

from harness.checks import ALL_CHECKS, Check, check_by_id
from harness.checks.base import Where
from harness.matrix import Mode, TokenFormat, Variant, cell_by_number
from harness.observations import ALL_OBSERVATIONS, observation_by_id
from harness.results import Level

ID = re.compile(r"^(RFC\d{4}-[\d.]+|ROUTE)-[a-z0-9-]+$")


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


def test_an_unknown_check_id_is_refused_with_the_known_ids() -> None:
    with pytest.raises(KeyError, match=re.escape("RFC6750-3.1-no-credentials")):
        check_by_id("nope")


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
    with pytest.raises(KeyError, match=f"No observation has the id 'nope'.*{first.id}"):
        observation_by_id("nope")
