"""Which target a run uses, as picklable data (worker processes build their own target).

Mock (the default) or live (an ``.env`` describing a real issuer, RFC 8414 discovery finds
its endpoints); the API factories can be replaced to test the harness against a broken API.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.matrix import Mode, TokenFormat
from harness.targets.apis import ApiFactories
from harness.targets.base import Target


@dataclass(frozen=True)
class TargetSpec:
    """Everything needed to build a target in any process."""

    mode: Mode = Mode.MOCK
    env_file: Path | None = None
    factories: ApiFactories | None = None

    def build(self) -> Target:
        """Start the target this spec describes."""
        if self.mode is Mode.MOCK:
            from harness.targets.mock import MockTarget

            return MockTarget(self.factories)
        from harness.targets.live import LiveTarget

        return LiveTarget(self.env_file or Path(".env"), self.factories)


def live_format_of(spec: TargetSpec) -> TokenFormat:
    """The token format a live ``.env`` declares (INTROSPECT_JWT_ACCESS_TOKENS); mock: opaque.

    Read at collection time, before any target exists, so test ids are known up front.
    """
    if spec.mode is Mode.MOCK:
        return TokenFormat.OPAQUE
    from harness.targets.live import declared_format

    return declared_format(spec.env_file or Path(".env"))
