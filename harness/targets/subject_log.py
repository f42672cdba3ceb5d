"""A subject's printed lines as log records, for the no-secrets check and failure reports."""

from __future__ import annotations

from harness.logcapture import CapturedRecord, LogMark
from harness.subjects.instances import SubjectInstances


class SubjectLog:
    """The subject's printed lines, read as log records by the no-secrets check."""

    def __init__(self, instances: SubjectInstances) -> None:
        self._instances = instances

    def records(self, exclude_origins: frozenset[str] = frozenset()) -> list[CapturedRecord]:
        """Every line the subject's instances printed so far."""
        return self.since({}, exclude_origins)

    def mark(self) -> LogMark:
        """How many lines each instance has printed so far."""
        return self._instances.mark()

    def since(
        self, mark: LogMark, exclude_origins: frozenset[str] = frozenset()
    ) -> list[CapturedRecord]:
        """The lines printed after ``mark``."""
        return [r for r in self._instances.records(mark) if r.origin not in exclude_origins]
