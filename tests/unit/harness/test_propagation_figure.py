"""A propagation figure is late when a poll sent after the bound still got the old answer."""

from __future__ import annotations

from harness.checks.propagation import Figure

BOUND = 1.3  # a cache TTL of 0.3 s and the margin of 1 s


def test_a_change_seen_at_the_first_poll_is_in_time_however_slow_the_answer() -> None:
    # A loaded machine: the first poll after the revocation took 1.9 s, and answered 401.
    assert not Figure(1.91, 1, BOUND).late(BOUND)


def test_an_old_answer_to_a_poll_sent_after_the_bound_is_late() -> None:
    assert Figure(2.0, 30, 60.0, stale_s=1.95).late(BOUND)
    assert not Figure(0.4, 6, 60.0, stale_s=0.35).late(BOUND)


def test_a_change_never_seen_is_late() -> None:
    assert Figure(None, 26, BOUND, stale_s=1.25).late(BOUND)
