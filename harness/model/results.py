"""Plain result data: what a check found, per variant, per run; serialisable as JSON.

Everything here is plain data (str, int, float, lists, dicts) so that results travel between
processes (pytest-xdist workers, ``python -m harness -n N``) and land in ``matrix.json``
unchanged. The HTTP exchanges stored here are already redacted (see ``redaction.py``). The
statuses follow the report's vocabulary; the levels are the RFC 2119 §1/§3 key words.
Observations of the issuer's own behaviour sit beside the results and carry no verdict.

A run's `Verdict` is honest: FAILED when a MUST check failed (or any check failed open),
INCOMPLETE when anything was not configured, no check ran, or part of the run could not start,
PASSED only when everything that should have run did run and passed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from harness.model.bounds import SHOWN_BODY
from harness.model.bounds import TRUNCATED_MARK as TRUNCATED_MARK
from harness.model.bounds import clip_body as clip_body
from harness.model.runinfo import SubjectInfo as SubjectInfo
from harness.model.serial import Serial

# Kept here for the callers that know them from here; the caps live in ``bounds.py``.
MAX_BODY = SHOWN_BODY


class Status(enum.StrEnum):
    """What became of one check in one variant."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"
    NOT_CONFIGURED = "not_configured"


class Verdict(enum.StrEnum):
    """The run as a whole; each has its own exit status (see ``harness/cli.py``)."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    INCOMPLETE = "INCOMPLETE"


class Level(enum.StrEnum):
    """RFC 2119 requirement level of a check."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"  # informational: recorded, never a failure


@dataclass(frozen=True)
class Exchange(Serial):
    """One HTTP request and its response (or transport error), secrets already redacted."""

    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    error: str = ""


@dataclass(frozen=True)
class Outcome:
    """What a check function returns: a status, expected vs actual, and the exchanges seen."""

    status: Status
    expected: str = ""
    actual: str = ""
    detail: str = ""
    exchanges: tuple[Exchange, ...] = ()
    # Graded outcomes: a failure may be judged at another level than the check's own (a 500
    # where 503 is owed fails at SHOULD), and a 2xx where a refusal is owed is *fail-open*.
    level: Level | None = None
    fail_open: bool = False
    variable: str = ""


@dataclass(frozen=True)
class CheckResult(Serial):
    """One check run in one variant of one cell: the unit the report is made of."""

    cell: int
    variant: str
    token_format: str
    check_id: str
    title: str
    rfc: str
    level: Level
    status: Status
    # The check's family (its module in harness/checks: rfc6750, tokens, lies, ...).
    family: str = ""
    duration_s: float = 0.0
    # When the check began, in seconds since the epoch (the timing report's critical path).
    started_s: float = 0.0
    order: int = 0
    expected: str = ""
    actual: str = ""
    detail: str = ""
    exchanges: tuple[Exchange, ...] = ()
    fail_open: bool = False
    subject: str = ""
    # Listed in the subject file's [expect] fail: a known deviation, reported, not failing.
    known_deviation: bool = False
    # For a not-configured result: the setting whose absence kept the check from running.
    variable: str = ""
    # For a failed result: what the API logged (redacted) and asked its issuer meanwhile.
    api_log: tuple[str, ...] = ()
    issuer_exchanges: tuple[Exchange, ...] = ()
    # Exchanges with the API made by the check but not kept (those between the first and last).
    exchanges_left_out: int = 0
    # The report left this result's evidence out to stay within its size (report/budget.py).
    evidence_left_out: bool = False
    # The check's own level, as its catalogue entry says; ``level`` is the level this result
    # counts at, which a graded failure may change (a 500 where 503 is owed fails a MUST check
    # at SHOULD). None in reports older than this field.
    check_level: Level | None = None
    # What the harness made happen on purpose during the check (a fault, a lie), if anything.
    injected: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity within a run: a check appears once per subject and variant."""
        return (self.subject, self.variant, self.check_id)

    @property
    def must_failed(self) -> bool:
        """True when this is a failed MUST check (which fails the run), not a known deviation."""
        failed = self.status is Status.FAILED and self.level is Level.MUST
        return failed and not self.known_deviation

    @property
    def fails_run(self) -> bool:
        """True when this result alone makes the run FAILED: a failed MUST check or a
        fail-open, unless the subject file lists it as a known deviation."""
        return self.must_failed or (self.fail_open and not self.known_deviation)


@dataclass(frozen=True)
class ObservationResult(Serial):
    """How the issuer behaved on one purpose-made request: informational, never a verdict."""

    id: str
    title: str
    rfc: str
    observed: bool
    value: str = ""
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    exchanges: tuple[Exchange, ...] = ()
    order: int = 0
    duration_s: float = 0.0


@dataclass(frozen=True)
class RunInfo(Serial):
    """What the report header says about a run."""

    mode: str
    issuer: str
    started_at: str
    duration_s: float
    command: str
    versions: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    # Settings that weaken the run without stopping it (e.g. the audience check turned off).
    warnings: tuple[str, ...] = ()
    # Parts of the run that could not start (a worker, a subject): the run is INCOMPLETE.
    problems: tuple[str, ...] = ()
    # The start in seconds since the epoch (0: not recorded), for the checks' start offsets.
    started_s: float = 0.0
    # The subject files the run read (none for the samples served in process).
    subjects: tuple[SubjectInfo, ...] = ()
    # Subjects that could not start at all (no result of theirs), each with its cause: the
    # report gives each a row of its own beside the subjects that ran.
    not_started: dict[str, str] = field(default_factory=dict)

    def subject(self, name: str) -> SubjectInfo | None:
        """The subject called ``name``, if the run read its file."""
        return next((s for s in self.subjects if s.name == name), None)


@dataclass(frozen=True)
class RunResult(Serial):
    """A whole run: its header data, every check result (each key once), the observations."""

    info: RunInfo
    results: tuple[CheckResult, ...]
    observations: tuple[ObservationResult, ...] = ()

    @property
    def must_failures(self) -> int:
        """How many MUST checks failed."""
        return sum(1 for r in self.results if r.must_failed)

    @property
    def fail_opens(self) -> int:
        """How many checks let a request in that had to be refused (the worst outcome)."""
        return sum(1 for r in self.results if r.fail_open and not r.known_deviation)

    @property
    def checks_ran(self) -> bool:
        """True when at least one check ran (passed or failed), not all skipped."""
        return any(r.status in (Status.PASSED, Status.FAILED) for r in self.results)

    @property
    def missing(self) -> dict[str, list[CheckResult]]:
        """The not-configured results by the setting they lack, in order of first appearance."""
        found: dict[str, list[CheckResult]] = {}
        for result in self.results:
            if result.status is Status.NOT_CONFIGURED:
                found.setdefault(result.variable or "configuration", []).append(result)
        return found

    @property
    def verdict(self) -> Verdict:
        """FAILED, INCOMPLETE or PASSED (see the module docstring)."""
        return verdict_of(self.results, self.info.problems)

    @property
    def passed(self) -> bool:
        """True only for a PASSED verdict (a run that left something out did not pass)."""
        return self.verdict is Verdict.PASSED


def verdict_of(results: Iterable[CheckResult], problems: Iterable[str] = ()) -> Verdict:
    """FAILED on a failed MUST check or a fail-open (unless the subject file lists it as a known
    deviation, which is shown but does not fail); INCOMPLETE when anything did not run
    (a check not configured, no check at all, a ``problem``); PASSED otherwise."""
    results = tuple(results)
    if any(r.fails_run for r in results):
        return Verdict.FAILED
    ran = any(r.status in (Status.PASSED, Status.FAILED) for r in results)
    if not ran or any(r.status is Status.NOT_CONFIGURED for r in results) or any(problems):
        return Verdict.INCOMPLETE
    return Verdict.PASSED


def unique(results: list[CheckResult]) -> tuple[CheckResult, ...]:
    """Keep one result per (subject, variant, check), the last one seen (xdist may re-send)."""
    by_key = {r.key: r for r in results}
    return tuple(by_key.values())
