"""The controller's side of the pytest plugin: gather results, write the report once.

Results arrive as JSON strings on each test report's ``user_properties`` (from xdist workers or
from this process alike; JSON, so a JUnit XML file carries them readably, not as Python
reprs), keyed by (subject, variant, check) so every case appears exactly once.
A matrix test that errored before running its check (e.g. the target did not start) still
appears, as a failure naming the error. Levels per RFC 2119 §1/§3. Issuer-behaviour
observations (RFC 7662, RFC 6749 answers) arrive the same way and are listed after the matrix.
A live session that cannot start (``targets/live_preflight.py``) stops as a usage error.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from harness.model.matrix import Mode
from harness.model.results import (
    CheckResult,
    Level,
    ObservationResult,
    RunInfo,
    RunResult,
    Status,
    SubjectInfo,
)
from harness.model.runinfo import command_line, now_iso, versions
from harness.report.history import write_and_keep
from harness.report.html import ReportPaths
from harness.report.terminal import ending
from harness.subjects.file import SubjectError, chosen_subjects
from harness.targets.live_preflight import ready_to_run
from oauthkit import ConfigError

DEFAULT_REPORT = Path("reports") / "matrix.html"
RESULT_PROPERTY = "harness_result"
CASE_PROPERTY = "harness_case"
OBSERVATION_PROPERTY = "harness_observation"


def property_value(data: dict[str, Any]) -> str:
    """A user property's value: compact JSON (pytest's JUnit XML writes values with ``str``)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _property_data(properties: dict[str, object], name: str) -> dict[str, Any] | None:
    value = properties.get(name)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def live_session_ready(config: pytest.Config) -> None:
    """A live session whose issuer does not answer, or whose ``.env`` still holds
    ``.env.example``'s values, stops before any test with that cause (a usage error)."""
    if config.getoption("issuer") != Mode.LIVE:
        return
    try:
        ready_to_run(Path(config.getoption("env_file") or ".env"))
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None


class MatrixCollector:
    """Accumulates matrix results on the controller and renders them at session end."""

    def __init__(self, config: pytest.Config) -> None:
        live_session_ready(config)
        self.config = config
        self.started_at = now_iso()
        self.clock, self.began = time.perf_counter(), time.time()
        self.results: dict[tuple[str, str, str], CheckResult] = {}
        self.issuers: dict[str, None] = {}
        self.notes: dict[str, None] = {}
        self.warnings: dict[str, None] = {}
        self.observations: dict[str, ObservationResult] = {}
        self.written: ReportPaths | None = None
        self.problems: tuple[str, ...] = ()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the result a matrix test attached, or record its setup error."""
        properties = dict(report.user_properties)
        observed = _property_data(properties, OBSERVATION_PROPERTY)
        if observed is not None:
            observation = ObservationResult.from_dict(observed)
            self.observations[observation.id] = observation
        data = _property_data(properties, RESULT_PROPERTY)
        if data is not None:
            self.issuers[str(data.get("issuer", ""))] = None
            self.notes.update(dict.fromkeys(data.get("notes", ())))
            self.warnings.update(dict.fromkeys(data.get("warnings", ())))
            result = CheckResult.from_dict(data)
            self.results[result.key] = result
        case = _property_data(properties, CASE_PROPERTY)
        if data is None and case is not None and report.failed and report.when != "call":
            result = _errored(case, report)
            self.results.setdefault(result.key, result)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Write the report if any matrix or observation test ran (INCOMPLETE if stopped)."""
        if not self.results and not self.observations:
            return
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            self.problems = ("the session was interrupted (Ctrl-C or SIGTERM) before it ended",)
        self.written, _ = write_and_keep(self.run(), self.report_path())

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Show the matrix and where the report is."""
        if self.written is None:
            return
        terminalreporter.section("introspection matrix")
        for line in ending(self.run()):
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"report: {self.written.html} (JSON: {self.written.json})")

    def run(self) -> RunResult:
        """The results so far as a run."""
        issuer = ", ".join(i for i in self.issuers if i) or "(unknown)"
        info = RunInfo(
            mode=str(self.config.getoption("issuer")),
            issuer=issuer,
            started_at=self.started_at,
            duration_s=round(time.perf_counter() - self.clock, 2),
            command=command_line("pytest", self.config.invocation_params.args),
            versions=versions(),
            notes=tuple(self.notes),
            warnings=tuple(self.warnings),
            problems=self.problems,
            started_s=round(self.began, 3),
            subjects=_subject_infos(self.config),
        )
        observed = sorted(self.observations.values(), key=lambda o: o.order)
        return RunResult(info, tuple(self.results.values()), tuple(observed))

    def report_path(self) -> Path:
        """--report, or reports/matrix.html under the root directory."""
        chosen = self.config.getoption("report")
        if chosen:
            return Path(chosen).absolute()
        return Path(self.config.rootpath) / DEFAULT_REPORT


def _subject_infos(config: pytest.Config) -> tuple[SubjectInfo, ...]:
    """The subject files of ``--subject`` and ``--subject-dir`` as the report names them."""
    files = [Path(p) for p in config.getoption("subject", None) or ()]
    folders = [Path(p) for p in config.getoption("subject_dir", None) or ()]
    try:
        return tuple(s.info() for s in chosen_subjects(files, folders))
    except SubjectError:  # the session checked them at its start; a file changed since
        return ()


def _errored(case: dict[str, Any], report: pytest.TestReport) -> CheckResult:
    """A failure result for a case whose test errored outside the check."""
    message = str(report.longreprtext).strip().splitlines()
    return CheckResult(
        subject=str(case.get("subject", "")),
        cell=int(case["cell"]),
        variant=str(case["variant"]),
        token_format=str(case["token_format"]),
        check_id=str(case["check_id"]),
        title=str(case["title"]),
        rfc=str(case["rfc"]),
        level=Level(case["check_level"]),
        check_level=Level(case["check_level"]),
        status=Status.FAILED,
        order=int(case["order"]),
        expected="the check to run",
        actual=f"the test errored during {report.when}",
        detail=message[-1][:500] if message else "",
    )
