"""The discovery guard (harness/targets/discovery_guard.py): readers together, a lie alone,
and a kept instance's first use reading under it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from harness.targets.discovery_guard import DiscoveryGuard, FirstUse


class _Counting(DiscoveryGuard):
    """A guard that counts how often it was read under."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def reading(self):  # type: ignore[no-untyped-def]
        self.reads += 1
        return super().reading()


def test_only_the_first_use_of_an_instance_reads_under_the_guard() -> None:
    uses, guard = FirstUse(), _Counting()
    for _ in range(3):
        with uses.use("cached", guard):
            pass
    with uses.use("odd-secret", guard):
        pass
    assert guard.reads == 2  # once per instance


def test_a_first_use_that_failed_leaves_the_guard_to_the_next() -> None:
    uses, guard = FirstUse(), _Counting()
    with pytest.raises(RuntimeError), uses.use("cached", guard):
        raise RuntimeError("the instance did not start")
    with uses.use("cached", guard):
        pass
    with uses.use("cached", guard):
        pass
    assert guard.reads == 2


def test_readers_read_together() -> None:
    guard, together = DiscoveryGuard(), threading.Barrier(2, timeout=5)

    def read() -> None:
        with guard.reading():
            together.wait()  # passes only if both read at once

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(5)
    assert not together.broken


def _soon(condition: Callable[[], bool]) -> bool:
    """Whether ``condition`` holds within 5 s (polled: the threads get there on their own)."""
    deadline = time.monotonic() + 5
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_a_lie_waits_for_the_readers_and_readers_after_it_wait_for_the_lie() -> None:
    guard, order = DiscoveryGuard(), list[str]()

    def lie() -> None:
        with guard.bending():
            order.append("lie")

    def late_reader() -> None:
        with guard.reading():
            order.append("late reader")

    teller, reader = threading.Thread(target=lie), threading.Thread(target=late_reader)
    with guard.reading():
        teller.start()
        assert _soon(lambda: guard._waiting == 1)  # the lie waits for this reader
        reader.start()
        order.append("first reader")
    teller.join(5)
    reader.join(5)
    assert order == ["first reader", "lie", "late reader"]


def _teller(guard: DiscoveryGuard) -> tuple[threading.Thread, threading.Event]:
    """A thread that tells a lie under ``guard`` once started, and the event it sets then."""
    told = threading.Event()

    def lie() -> None:
        with guard.bending():
            told.set()

    return threading.Thread(target=lie, daemon=True), told


def test_a_first_use_whose_warm_up_was_let_in_runs_beside_a_lie() -> None:
    uses, guard = FirstUse(), DiscoveryGuard()
    teller, told = _teller(guard)
    with uses.use("cached", guard, lambda: True):
        teller.start()
        assert told.wait(5)  # told while the first use goes on: the guard was let go
    teller.join(5)


def test_a_first_use_whose_warm_up_was_refused_reads_under_the_guard_throughout() -> None:
    uses, guard = FirstUse(), DiscoveryGuard()
    teller, told = _teller(guard)
    with uses.use("odd-secret", guard, lambda: False):
        teller.start()
        assert _soon(lambda: guard._waiting == 1)  # the lie waits for the first use to end
        assert not told.is_set()
    teller.join(5)
    assert told.is_set()
