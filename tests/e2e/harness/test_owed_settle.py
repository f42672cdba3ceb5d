"""After a key-set outage the API takes the unseen key once its refresh cooldown allows; the
outage check leaves that wait to the next check that talks to the API (`SigningKeys.owe`), so a
run whose last local-JWT check is the outage ends without it, and a check that only reads what
the run left (``LAST``) does not pay it."""

from __future__ import annotations

from harness.checks import check_by_id
from harness.model.matrix import TokenFormat, Variant, cell_by_number
from harness.model.results import Status
from harness.run.execute import execute
from harness.targets.mock import MockTarget


def test_the_wait_after_a_key_set_outage_is_paid_by_the_next_check_not_a_last_one() -> None:
    target = MockTarget()  # its own: the outage changes what the API holds
    try:
        keys, variant = target.mock.keys, Variant(cell_by_number(8), TokenFormat.JWT)
        outage = execute(check_by_id("RFC9110-15.6.4-jwks-down-unknown-key"), target, variant)
        assert outage.status is Status.PASSED, outage.actual
        fetched = keys.jwks_calls
        last = execute(check_by_id("RFC6750-5.3-no-secrets-leaked"), target, variant)
        assert last.status is Status.PASSED, last.actual
        assert keys.jwks_calls == fetched, "a LAST check waited for the API to take the key"
        after = execute(check_by_id("RFC6750-2.1-valid-token"), target, variant)
        assert after.status is Status.PASSED, after.actual
        assert keys.jwks_calls > fetched, "the API was not let take the key before the check"
    finally:
        target.close()
