"""An injectable clock, so tests move time instead of sleeping (RFC 7519 §4.1.4 `exp` checks).

Every time-dependent rule of the mock issuer (assertion `exp`/`iat`, token and key expiry) reads
this clock, never `time.time()` directly.
"""

from __future__ import annotations

import threading
import time


class SettableClock:
    """Unix-seconds clock: follows real time, or stands still once frozen.

    ``SettableClock()`` follows the system clock; ``SettableClock(start=ts)`` is frozen at
    ``ts``. In both modes ``advance(seconds)`` moves it forward and ``set(ts)`` freezes it at
    ``ts``. Thread-safe, as the issuer serves from another thread.
    """

    def __init__(self, start: float | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen_at = start
        self._offset = 0.0

    def now(self) -> float:
        """The current time in unix seconds."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward (or back, with a negative value)."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds

    def set(self, timestamp: float) -> None:
        """Freeze the clock at ``timestamp`` (unix seconds)."""
        with self._lock:
            self._frozen_at = timestamp
