"""Plain result data: what a check found, per variant, per run; serialisable as JSON.

Everything here is plain data (str, int, float, lists, dicts) so that results travel between
processes (pytest-xdist workers, ``python -m harness -n N``) and land in ``matrix.json``
unchanged. The HTTP exchanges stored here are already redacted (see ``redaction.py``). The
statuses follow the report's vocabulary; the levels are the RFC 2119 §1/§3 key words.
Observations of the issuer's own behaviour sit beside the results and carry no verdict.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field, fields
from typing import Any


class Status(enum.StrEnum):
    """What became of one check in one variant."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"
    NOT_CONFIGURED = "not_configured"


class Level(enum.StrEnum):
    """RFC 2119 requirement level of a check."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"  # informational: recorded, never a failure


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response (or transport error), secrets already redacted."""

    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    error: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Exchange:
        """Rebuild an exchange from its ``asdict`` form."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


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


@dataclass(frozen=True)
class CheckResult:
    """One check run in one variant of one cell: the unit the report is made of."""

    cell: int
    variant: str
    token_format: str
    check_id: str
    title: str
    rfc: str
    level: Level
    status: Status
    duration_s: float = 0.0
    order: int = 0
    expected: str = ""
    actual: str = ""
    detail: str = ""
    exchanges: tuple[Exchange, ...] = ()
    fail_open: bool = False
    subject: str = ""
    # Listed in the subject file's [expect] fail: a known deviation, reported, not failing.
    known_deviation: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity within a run: a check appears once per variant of each subject."""
        return (self.subject, self.variant, self.check_id)

    @property
    def must_failed(self) -> bool:
        """True when this is a failed MUST check (which fails the run), not a known deviation."""
        failed = self.status is Status.FAILED and self.level is Level.MUST
        return failed and not self.known_deviation

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (enums as strings, tuples as lists)."""
        data = asdict(self)
        data["level"] = str(self.level)
        data["status"] = str(self.status)
        data["exchanges"] = [asdict(e) for e in self.exchanges]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        """Rebuild a result from ``to_dict`` output."""
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["level"] = Level(data["level"])
        values["status"] = Status(data["status"])
        values["exchanges"] = tuple(Exchange.from_dict(e) for e in data.get("exchanges", []))
        return cls(**values)


@dataclass(frozen=True)
class ObservationResult:
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        data = asdict(self)
        data["exchanges"] = [asdict(e) for e in self.exchanges]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ObservationResult:
        """Rebuild an observation from ``to_dict`` output."""
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["exchanges"] = tuple(Exchange.from_dict(e) for e in data.get("exchanges", []))
        return cls(**values)


@dataclass(frozen=True)
class RunInfo:
    """What the report header says about a run."""

    mode: str
    issuer: str
    started_at: str
    duration_s: float
    command: str
    versions: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunResult:
    """A whole run: its header data, every check result (each key once), the observations."""

    info: RunInfo
    results: tuple[CheckResult, ...]
    observations: tuple[ObservationResult, ...] = ()

    @property
    def must_failures(self) -> int:
        """How many MUST checks failed."""
        return sum(1 for r in self.results if r.must_failed)

    @property
    def checks_ran(self) -> bool:
        """True when at least one check ran (passed or failed), not all skipped."""
        return any(r.status in (Status.PASSED, Status.FAILED) for r in self.results)

    @property
    def passed(self) -> bool:
        """True when checks ran and every MUST check among them passed.

        A run in which nothing ran (every cell not configured) proves nothing, so it fails.
        """
        return self.checks_ran and self.must_failures == 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form, the content of ``matrix.json``."""
        return {
            "info": asdict(self.info),
            "results": [r.to_dict() for r in self.results],
            "observations": [o.to_dict() for o in self.observations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        """Rebuild a run from ``to_dict`` output."""
        info = dict(data["info"])
        info["notes"] = tuple(info.get("notes", ()))
        results = tuple(CheckResult.from_dict(r) for r in data["results"])
        observed = data.get("observations", [])
        return cls(
            RunInfo(**info), results, tuple(ObservationResult.from_dict(o) for o in observed)
        )


def unique(results: list[CheckResult]) -> tuple[CheckResult, ...]:
    """Keep one result per (variant, check), the last one seen (xdist may re-send on retry)."""
    by_key = {r.key: r for r in results}
    return tuple(by_key.values())
