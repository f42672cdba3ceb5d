"""The key ring: rotation on demand, old keys kept a while, new keys published late."""

from __future__ import annotations

import itertools

import pytest

from mock_issuer import KeyPool, SettableClock
from mock_issuer.keyring import KeyRing

NOW = 1_800_000_000.0


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(start=NOW)


@pytest.fixture
def ring(clock: SettableClock) -> KeyRing:
    ids = itertools.count(1)
    return KeyRing(lambda: str(next(ids)), clock.now, KeyPool())


def kids(ring: KeyRing) -> list[str]:
    return [key.kid for key in ring.published()]


def test_the_first_key_is_made_on_first_use_and_published_at_once(ring: KeyRing) -> None:
    key = ring.signing_key()
    assert ring.signing_key() is key
    assert kids(ring) == [key.kid]


def test_a_rotation_signs_with_a_new_kid_and_keeps_the_old_key_for_the_grace_period(
    ring: KeyRing, clock: SettableClock
) -> None:
    old = ring.signing_key()
    new = ring.rotate(keep_old_for=60)
    assert new.kid != old.kid and ring.signing_key() is new
    assert kids(ring) == [new.kid, old.kid]
    clock.advance(60)
    assert kids(ring) == [new.kid]
    assert ring.by_kid(old.kid) is old  # tokens it signed can still be recognised


def test_a_key_published_late_signs_before_the_jwks_shows_it(
    ring: KeyRing, clock: SettableClock
) -> None:
    old = ring.signing_key()
    new = ring.rotate(publish_after=30)
    assert ring.signing_key() is new and kids(ring) == [old.kid]
    clock.advance(30)
    assert kids(ring) == [new.kid, old.kid]


def test_a_second_rotation_does_not_extend_an_older_keys_grace_period(
    ring: KeyRing, clock: SettableClock
) -> None:
    first = ring.signing_key()
    second = ring.rotate(keep_old_for=10)
    third = ring.rotate(keep_old_for=100)
    assert kids(ring) == [third.kid, second.kid, first.kid]
    clock.advance(10)
    assert kids(ring) == [third.kid, second.kid]


def test_negative_windows_are_refused(ring: KeyRing) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        ring.rotate(keep_old_for=-1)
