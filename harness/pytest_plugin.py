"""The pytest plugin: options, the per-worker target, the matrix cases and the report.

Thin by design (logic lives in plain modules). Each xdist worker builds its own target in a
session fixture; each case's result travels to the controller on ``report.user_properties``
(plain data, so it survives xdist), and the controller alone writes the report once, in
``pytest_sessionfinish``, whether the run passed or not. Levels per RFC 2119: a failed MUST
check fails its test, a failed SHOULD check is only reported. Each issuer-behaviour
observation is a test too (``issuer_observation``), which records and never fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cases import MatrixCase, matrix_cases, select_cells, select_checks
from harness.collector import CASE_PROPERTY, OBSERVATION_PROPERTY, RESULT_PROPERTY, MatrixCollector
from harness.execute import execute
from harness.matrix import Mode
from harness.observations import ALL_OBSERVATIONS, Observation, observe
from harness.results import Level, Status
from harness.targets.base import Target
from harness.targets.spec import TargetSpec, live_format_of


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


def pytest_configure(config: pytest.Config) -> None:
    """Register the collector on the controller (or the only process) only."""
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
    cases = matrix_cases(
        spec.mode,
        select_cells(config.getoption("cells")),
        select_checks(config.getoption("checks")),
        live_format_of(spec),
    )
    metafunc.parametrize("matrix_case", cases, ids=[case.id for case in cases])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tag matrix items, so even a setup error can be placed in its cell."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("matrix_case") if callspec else None
        if isinstance(case, MatrixCase):
            item.user_properties.append((CASE_PROPERTY, _case_data(case)))


def _case_data(case: MatrixCase) -> dict[str, object]:
    check = case.check
    return {
        "cell": case.variant.cell.number, "variant": case.variant.slug,
        "token_format": str(case.variant.token_format), "check_id": check.id,
        "title": check.title, "rfc": check.rfc, "level": str(check.level), "order": case.order,
    }  # fmt: skip


@pytest.fixture(scope="session")
def harness_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    """This worker's target: its own issuer and APIs, stopped at the end of the session."""
    target = target_spec(pytestconfig).build()
    try:
        yield target
    finally:
        target.close()


def run_case(item: pytest.Item, target: Target, case: MatrixCase) -> None:
    """Run one case, attach its result to the test report, and turn it into a verdict."""
    result = execute(case.check, target, case.variant, case.order)
    item.user_properties.append((RESULT_PROPERTY, {**result.to_dict(), "issuer": target.issuer}))
    if result.status is Status.NOT_APPLICABLE:
        pytest.skip(f"not applicable: {result.detail}")
    if result.status is Status.NOT_CONFIGURED:
        pytest.skip(f"not configured: {result.detail}")
    if result.status is Status.FAILED and result.level is Level.MUST:
        message = f"expected {result.expected}\n  actual {result.actual}"
        pytest.fail(message + (f"\n  {result.detail}" if result.detail else ""), pytrace=False)


def record_observation(item: pytest.Item, target: Target, observation: Observation) -> None:
    """Make one observation and attach it to the test report; skip (never fail) if not made."""
    order = ALL_OBSERVATIONS.index(observation)
    result = observe(observation, target, order)
    item.user_properties.append((OBSERVATION_PROPERTY, result.to_dict()))
    if not result.observed:
        pytest.skip(f"not observed: {result.detail}")
