"""The clock every time-dependent check takes, so tests inject time instead of sleeping.

A clock is any callable returning the current time as Unix seconds (RFC 7519 §2 NumericDate).
"""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]
"""Returns the current time in Unix seconds."""

system_clock: Clock = time.time
