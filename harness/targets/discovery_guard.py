"""Who may read the issuer's discovery document while a discovery lie bends it for everyone.

An instance of an API reads the document once, at its start or at its first request. A
discovery lie (``harness/checks/lies.py``) bends it for every reader, so it *bends* under the
guard: alone. An instance that reads the true document for the first time (a kept instance's
first use, an in-process API started for a check) *reads* under it: beside other readers,
never beside a lie. `FirstUse` takes the guard for a kept instance's first use only: for its
start and a warm-up request, or where that request was not let in, for the whole first use,
until one ends normally (the instance has read the document by then).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager


class DiscoveryGuard:
    """A readers-writer lock: readers together, a lie (the writer) alone; a waiting lie goes
    before readers that come after it, so a stream of readers cannot hold it back forever."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._bending = False
        self._waiting = 0  # lies waiting

    @contextmanager
    def reading(self) -> Iterator[None]:
        """An instance reads the true document in the block."""
        with self._changed:
            self._changed.wait_for(lambda: not self._bending and not self._waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextmanager
    def bending(self) -> Iterator[None]:
        """A lie bends the document in the block: nobody else reads it meanwhile."""
        with self._changed:
            self._waiting += 1
            self._changed.wait_for(lambda: not self._bending and not self._readers)
            self._waiting -= 1
            self._bending = True
        try:
            yield
        finally:
            with self._changed:
                self._bending = False
                self._changed.notify_all()


class FirstUse:
    """Which kept instances have been used once; the first use of each reads under the guard."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._used: set[Hashable] = set()

    @contextmanager
    def use(
        self, key: Hashable, guard: DiscoveryGuard | None, warm: Callable[[], bool] = lambda: False
    ) -> Iterator[None]:
        """A use of instance ``key``: reading under ``guard`` unless another use of it came
        first (and did not fail: then the next use reads under the guard again). ``warm``
        starts the instance and has it let a valid token in: where it did (True), the instance
        has read discovery and the block runs without the guard."""
        with self._lock:
            first = key not in self._used
            self._used.add(key)
        if not first or guard is None:
            yield
            return
        try:
            with guard.reading():
                warmed = warm()
                if not warmed:
                    yield
            if warmed:
                yield
        except BaseException:
            with self._lock:
                self._used.discard(key)
            raise
