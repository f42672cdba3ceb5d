"""`--profile quick`: positive, RFC 6750 and core negative checks only, none that waits."""

from __future__ import annotations

import pytest

from harness.checks import ALL_CHECKS, check_by_id
from harness.checks.base import Sharing
from harness.cli import main, parser
from harness.run.profiles import LOCAL_JWT_CORE, profile_checks


def test_the_quick_profile_waits_for_nothing_and_starts_no_api() -> None:
    quick = profile_checks("quick")
    assert quick and all(not c.waits for c in quick)
    assert not {c.sharing for c in quick} & {Sharing.NEW_INSTANCE, Sharing.DISCOVERY}
    assert not {c.family for c in quick} & {"lies", "faults", "propagation", "issuer_lint"}


def test_the_quick_profile_keeps_the_positive_rfc6750_and_core_negative_checks() -> None:
    ids = {c.id for c in profile_checks("quick")}
    for kept in ("RFC6750-2.1-valid-token", "RFC6750-3.1-no-credentials",
                 "RFC6750-3.1-garbage-token", "RFC7662-2.2-revoked-token",
                 "RFC7662-2.2-expired-token", "RFC6750-3.1-insufficient-scope",
                 "RFC6750-5.3-no-secrets-leaked", *LOCAL_JWT_CORE):  # fmt: skip
        assert kept in ids


def test_the_full_profile_is_every_check_and_a_profile_narrows_checks_given() -> None:
    assert profile_checks("full") == ALL_CHECKS
    chosen = (check_by_id("RFC6750-2.1-valid-token"), check_by_id("RFC9110-15.6.4-issuer-slow"))
    assert [c.id for c in profile_checks("quick", chosen)] == ["RFC6750-2.1-valid-token"]


def test_full_is_the_default_and_an_unknown_profile_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert parser().parse_args([]).profile == "full"
    with pytest.raises(SystemExit) as stopped:
        main(["--profile", "slow"])
    assert stopped.value.code == 2 and "--profile" in capsys.readouterr().err


def test_checks_none_of_which_is_quick_are_refused_with_the_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    status = main(["--profile", "quick", "--checks", "RFC9110-15.6.4-issuer-slow",
                   "--report", f"{tmp_path}/matrix.html"])  # fmt: skip
    assert status == 2 and "quick profile" in capsys.readouterr().err
