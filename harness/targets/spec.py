"""Which target a run uses, as picklable data (worker processes build their own target).

Mock (the default) or live (an ``.env`` describing a real issuer, RFC 8414 discovery finds
its endpoints); the API factories can be replaced to test the harness against a broken API.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from harness.model.matrix import Mode, TokenFormat
from harness.subjects.file import Subject
from harness.targets.apis import ApiFactories
from harness.targets.base import Target

SLOW_MARGIN_S = 0.5


@dataclass(frozen=True)
class TargetSpec:
    """Everything needed to build a target in any process."""

    mode: Mode = Mode.MOCK
    env_file: Path | None = None
    factories: ApiFactories | None = None
    subject: Subject | None = None

    def build(self) -> Target:
        """Start the target this spec describes (with a subject: its issuer side first)."""
        if self.subject is None:
            return self._base()
        from harness.subjects.preload import Preloading
        from harness.targets.subject import SubjectTarget

        preloading = Preloading(self.subject)
        preloading.start_early()  # its imports run while the issuer starts
        try:
            base = self._base()
        except BaseException:
            preloading.stop()
            raise
        target = SubjectTarget(base, self.subject, preloading)
        try:
            target.start()
        except BaseException:
            target.close()
            raise
        return target

    def _base(self) -> Target:
        if self.mode is Mode.MOCK:
            from harness.targets.mock import SLOW_FAULT_S, MockTarget

            timeout = self.subject.issuer_timeout if self.subject else None
            return MockTarget(self.factories, slow_fault_s=slow_fault_s(timeout, SLOW_FAULT_S))
        from harness.targets.live import LiveTarget

        return LiveTarget(self.env_file or Path(".env"), self.factories)


def slow_fault_s(issuer_timeout: float | None, default: float) -> float:
    """How slow the mock issuer gets for the slow-issuer check: past the subject's timeout."""
    return default if issuer_timeout is None else issuer_timeout + SLOW_MARGIN_S


def live_format_of(spec: TargetSpec) -> TokenFormat:
    """The token format a live ``.env`` declares (INTROSPECT_JWT_ACCESS_TOKENS); mock: opaque.

    Read at collection time, before any target exists, so test ids are known up front.
    """
    if spec.mode is Mode.MOCK:
        return TokenFormat.OPAQUE
    from harness.targets.live import declared_format

    return declared_format(spec.env_file or Path(".env"))


class SubjectTargets:
    """This worker's targets for subjects, one per subject, built on first use."""

    def __init__(self, spec: TargetSpec) -> None:
        self._spec = spec
        self._built: dict[str, Target] = {}
        self._failed: dict[str, Exception] = {}

    def get(self, subject: Subject) -> Target:
        """The subject's target (its own issuer, the subject behind it).

        A subject that could not start is not tried again: each of its tests fails at once
        with the same reason.
        """
        if subject.name in self._failed:
            raise self._failed[subject.name]
        if subject.name not in self._built:
            try:
                self._built[subject.name] = replace(self._spec, subject=subject).build()
            except Exception as exc:
                self._failed[subject.name] = exc
                raise
        return self._built[subject.name]

    def close(self) -> None:
        """Stop every subject and issuer."""
        for target in self._built.values():
            target.close()
        self._built.clear()
