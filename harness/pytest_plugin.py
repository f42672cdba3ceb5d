"""The pytest plugin: options, the per-worker target, the matrix cases and the report.

Thin by design (logic lives in plain modules). Each xdist worker builds its own target in a
session fixture; each case's result travels to the controller on ``report.user_properties``
(plain data, so it survives xdist), and the controller alone writes the report once, in
``pytest_sessionfinish``, whether the run passed or not. Levels per RFC 2119: a test fails
when its result fails the run (a failed MUST check, a fail-open); a failed SHOULD check or a
known deviation is xfailed, reported but never a pass. Each issuer-behaviour
observation is a test too (``issuer_observation``), which records and never fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.model.matrix import Mode
from harness.model.results import CheckResult, Status
from harness.observations import ALL_OBSERVATIONS, Observation, observe
from harness.run.ahead import Ahead
from harness.run.cases import (
    MatrixCase,
    matrix_cases,
    select_cells,
    select_checks,
    with_known_expectations,
)
from harness.run.collector import (
    CASE_PROPERTY,
    OBSERVATION_PROPERTY,
    RESULT_PROPERTY,
    MatrixCollector,
    property_value,
)
from harness.run.execute import execute
from harness.run.stopping import sigterm_interrupts
from harness.subjects.file import Subject, SubjectError, chosen_subjects
from harness.targets.base import Target
from harness.targets.spec import SubjectTargets, TargetSpec, live_format_of


def pytest_addoption(parser: pytest.Parser) -> None:
    """The harness's options, in their own group of ``pytest --help``."""
    group = parser.getgroup("harness", "introspection matrix (harness)")
    group.addoption(
        "--issuer",
        choices=[m.value for m in Mode],
        default=Mode.MOCK.value,
        help="run the matrix against the embedded mock issuer (default) or a live one",
    )
    group.addoption(
        "--env-file",
        default=None,
        metavar="PATH",
        help="the .env describing the live issuer (with --issuer live; default ./.env)",
    )
    group.addoption(
        "--report",
        default=None,
        metavar="PATH",
        help="where to write the HTML report, the JSON twin beside it "
        "(default: reports/matrix.html when matrix tests ran)",
    )
    group.addoption("--cells", default=None, metavar="N,N", help="only these cells, e.g. 1,4")
    group.addoption("--checks", default=None, metavar="ID,ID", help="only these check ids")
    group.addoption(
        "--subject",
        action="append",
        default=[],
        metavar="FILE",
        help="run the matrix against the API this subject file describes (repeatable; see "
        "docs/subjects.md) instead of the in-process samples",
    )
    group.addoption(
        "--subject-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="run the matrix against every subject file (*.toml) under DIR (repeatable)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Check the subject files; register the collector on the controller (or only process);
    SIGTERM interrupts the session as Ctrl-C does, so its subjects are stopped."""
    chosen_subjects_of(config)  # a bad subject file stops the session with its problem, early
    config.add_cleanup(sigterm_interrupts())
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(MatrixCollector(config), "harness-matrix-collector")


def target_spec(config: pytest.Config) -> TargetSpec:
    """The target the options describe."""
    env_file = config.getoption("env_file")
    return TargetSpec(Mode(config.getoption("issuer")), Path(env_file) if env_file else None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``matrix_case`` (chosen cells and checks) and ``issuer_observation``."""
    if "issuer_observation" in metafunc.fixturenames:
        ids = [o.id for o in ALL_OBSERVATIONS]
        metafunc.parametrize("issuer_observation", ALL_OBSERVATIONS, ids=ids)
    if "matrix_case" not in metafunc.fixturenames:
        return
    config = metafunc.config
    spec = target_spec(config)
    chosen = (
        select_cells(config.getoption("cells")),
        select_checks(config.getoption("checks")),
        live_format_of(spec),
    )
    subjects = chosen_subjects_of(config)
    if subjects:
        cases = [c for s in subjects for c in matrix_cases(spec.mode, *chosen, subject=s)]
    else:
        cases = matrix_cases(spec.mode, *chosen)
    metafunc.parametrize("matrix_case", cases, ids=[case.id for case in cases])


def chosen_subjects_of(config: pytest.Config) -> tuple[Subject, ...]:
    """The subjects of ``--subject`` and ``--subject-dir``; a bad file stops the session."""
    try:
        return with_known_expectations(
            chosen_subjects(
                [Path(p) for p in config.getoption("subject")],
                [Path(p) for p in config.getoption("subject_dir")],
            )
        )
    except SubjectError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tag matrix items, so even a setup error can be placed in its cell."""
    for item in items:
        if (case := _case_of(item)) is not None:
            item.user_properties.append((CASE_PROPERTY, property_value(case.names())))


def _case_of(item: pytest.Item) -> MatrixCase | None:
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get("matrix_case") if callspec else None
    return case if isinstance(case, MatrixCase) else None


@pytest.fixture(scope="session")
def harness_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    """This worker's target: its own issuer and APIs, stopped at the end of the session."""
    target = target_spec(pytestconfig).build()
    try:
        yield target
    finally:
        target.close()


@pytest.fixture(scope="session")
def harness_subject_targets(pytestconfig: pytest.Config) -> Iterator[SubjectTargets]:
    """This worker's subject targets, stopped at the end of the session."""
    targets = SubjectTargets(target_spec(pytestconfig))
    try:
        yield targets
    finally:
        targets.close()


def case_target(request: pytest.FixtureRequest, case: MatrixCase) -> Target:
    """The target a case runs against: its subject's, or the in-process samples'."""
    if case.subject is None:
        target: Target = request.getfixturevalue("harness_target")
        return target
    targets: SubjectTargets = request.getfixturevalue("harness_subject_targets")
    return targets.get(case.subject)


@pytest.fixture(scope="session")
def harness_ahead(request: pytest.FixtureRequest, harness_target: Target) -> Iterator[Ahead]:
    """The samples' waiting checks of this session, run ahead of their tests (run/ahead.py)."""
    cases = [c for c in map(_case_of, request.session.items) if c and c.subject is None]
    ahead = Ahead(harness_target, cases)
    try:
        yield ahead
    finally:
        ahead.close()


def case_ahead(request: pytest.FixtureRequest, case: MatrixCase) -> Ahead | None:
    """What runs the case ahead of its test, for the samples' cases (a subject's: None)."""
    return request.getfixturevalue("harness_ahead") if case.subject is None else None


def run_case(item: pytest.Item, target: Target, case: MatrixCase, ahead: Ahead | None = None
             ) -> None:  # fmt: skip
    """Run one case (or take its result from ``ahead``), attach its result to the test
    report, and turn it into a test outcome:
    passed, skipped (not applicable or not configured, with the reason), failed when the
    result fails the run (a MUST check, a fail-open), else xfailed (a SHOULD failure, a known
    deviation: JUnit XML's ``<skipped type="pytest.xfail">``, never a passing test case)."""
    made = ahead.result(case) if ahead is not None else None
    result = made if made is not None else execute(case.check, target, case.variant, case.order)
    about_run = {"issuer": target.issuer, "notes": target.notes, "warnings": target.warnings}
    data = property_value({**result.to_dict(), **about_run})
    item.user_properties.append((RESULT_PROPERTY, data))
    if result.status is Status.NOT_APPLICABLE:
        pytest.skip(f"not applicable: {result.detail}")
    if result.status is Status.NOT_CONFIGURED:
        pytest.skip(f"not configured: {result.detail}")
    if result.status is not Status.FAILED:
        return
    message = f"expected {result.expected}\n  actual {result.actual}"
    message += f"\n  {result.detail}" if result.detail else ""
    if result.fails_run:
        pytest.fail(message, pytrace=False)
    pytest.xfail(f"{_why_not_failing(result)}: {message}")


def _why_not_failing(result: CheckResult) -> str:
    if result.known_deviation:
        return f"{result.level} failure, a known deviation (the subject file's [expect] fail)"
    return f"{result.level} failure (does not fail the run)"


def record_observation(item: pytest.Item, target: Target, observation: Observation) -> None:
    """Make one observation and attach it to the test report; skip (never fail) if not made."""
    order = ALL_OBSERVATIONS.index(observation)
    result = observe(observation, target, order)
    item.user_properties.append((OBSERVATION_PROPERTY, property_value(result.to_dict())))
    if not result.observed:
        pytest.skip(f"not observed: {result.detail}")
