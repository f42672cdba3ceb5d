"""Where a check runs (`Where`), and what it changes beyond its own tokens and keys (`Sharing`).

The lanes (``harness/run/lanes.py``) read it to run a job's checks side by side; docs/harness.md
("How checks run side by side") says what each kind may run beside.
"""

from __future__ import annotations

import enum

from harness.model.matrix import Mode


class Sharing(enum.Enum):
    """What a check changes beyond its own tokens and keys, and so what may run beside it
    (``harness/run/lanes.py``)."""

    SIDE_BY_SIDE = "side by side"  # only its own tokens, faults and lies about them, keys
    NEW_INSTANCE = "new instance"  # starts another instance of the API (it reads discovery)
    # bends the issuer's discovery document for every reader (some read it at every request)
    DISCOVERY = "discovery"
    ALONE = "alone"  # changes the issuer for everyone: its clock, role shape, JWKS endpoint
    # takes an issuer endpoint down for everyone: beside nothing but the same check of other
    # variants (each holds the endpoint down; the last to end brings it back)
    OUTAGE = "outage"
    LAST = "last"  # reads what every other check left (the API's whole log)


class Where(enum.StrEnum):
    """Which targets a check applies to."""

    MOCK = "mock"
    LIVE = "live"
    BOTH = "both"

    def includes(self, mode: Mode) -> bool:
        """Whether a check marked so runs against a target in ``mode``."""
        return self is Where.BOTH or self.value == mode.value
