"""Checks side by side (harness/run/lanes.py): what may run beside what, and results in order."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from harness.checks.base import Check, CheckContext, Sharing, Where
from harness.model.matrix import Mode, cell_by_number, variants
from harness.model.results import CheckResult, Level, Outcome, Status
from harness.run.cases import MatrixCase
from harness.run.lanes import priority, run_side_by_side

OPAQUE, JWT = variants(cell_by_number(3), Mode.MOCK)


def _fn(family: str) -> Callable[[CheckContext], Outcome]:
    def fn(ctx: CheckContext) -> Outcome:
        return Outcome(Status.PASSED)

    fn.__module__ = f"harness.checks.{family}"
    return fn


def _case(
    check_id: str, sharing: Sharing = Sharing.SIDE_BY_SIDE, *, waits: bool = False,
    family: str = "odd_requests", variant: object = OPAQUE, order: int = 0,
) -> MatrixCase:  # fmt: skip
    check = Check(check_id, check_id, "RFC 0", Level.MUST, Where.BOTH, _fn(family),
                  sharing=sharing, waits=waits)  # fmt: skip
    return MatrixCase(variant, check, order)  # type: ignore[arg-type]


class _Recorder:
    """Runs cases, noting what ran beside each when it started; ``hold`` makes some wait."""

    def __init__(self, hold: Callable[[MatrixCase], None] = lambda case: None) -> None:
        self.lock = threading.Lock()
        self.running: set[str] = set()
        self.beside: dict[str, set[str]] = {}
        self.started: list[str] = []
        self.hold = hold

    def __call__(self, case: MatrixCase) -> CheckResult:
        name = case.check.id
        with self.lock:
            self.beside.setdefault(name, set()).update(self.running)
            for other in self.running:
                self.beside.setdefault(other, set()).add(name)
            self.running.add(name)
            self.started.append(name)
        try:
            self.hold(case)
        finally:
            with self.lock:
                self.running.discard(name)
        return CheckResult(3, case.variant.slug, "opaque", name, name, "RFC 0", Level.MUST,
                           Status.PASSED, detail=f"run {self.started.count(name)}")  # fmt: skip


def _no_deaths() -> int:
    return 0


def test_side_by_side_checks_run_at_once_and_come_back_in_the_cases_order() -> None:
    together = threading.Barrier(4, timeout=10)  # passes only if all four run at once
    cases = [_case(f"C{n}", waits=n % 2 == 0) for n in range(4)]
    results = run_side_by_side(cases, _Recorder(lambda case: together.wait()), _no_deaths, 4)
    assert [r.check_id for r in results] == ["C0", "C1", "C2", "C3"]


def test_no_check_runs_beside_one_that_runs_alone_and_the_last_come_after_everything() -> None:
    cases = [
        _case("CLOCK", Sharing.ALONE), _case("A"), _case("B", waits=True),
        _case("LEAKS", Sharing.LAST), _case("SHAPE", Sharing.ALONE), _case("C"),
    ]  # fmt: skip
    recorder = _Recorder()
    run_side_by_side(cases, recorder, _no_deaths, 4)
    assert recorder.beside["CLOCK"] == set() and recorder.beside["SHAPE"] == set()
    assert recorder.started[-1] == "LEAKS" and recorder.beside["LEAKS"] == set()


def test_an_outage_runs_beside_the_same_check_of_other_variants_only() -> None:
    together = threading.Barrier(2, timeout=10)  # passes only if both variants run at once

    def hold(case: MatrixCase) -> None:
        if case.check.id == "JWKS-DOWN":
            together.wait()

    cases = [
        _case("JWKS-DOWN", Sharing.OUTAGE, waits=True), _case("A"),
        _case("OTHER-DOWN", Sharing.OUTAGE, waits=True), _case("CLOCK", Sharing.ALONE),
        _case("JWKS-DOWN", Sharing.OUTAGE, waits=True, variant=JWT), _case("B", waits=True),
    ]  # fmt: skip
    recorder = _Recorder(hold)
    run_side_by_side(cases, recorder, _no_deaths, 4)
    assert recorder.beside["JWKS-DOWN"] == {"JWKS-DOWN"}
    assert recorder.beside["OTHER-DOWN"] == set() and recorder.beside["CLOCK"] == set()
    assert recorder.started.index("CLOCK") < recorder.started.index("JWKS-DOWN")


def test_a_discovery_lie_runs_beside_no_other_lie_and_after_the_rfc6750_checks() -> None:
    cases = [
        _case("VALID", family="rfc6750"), _case("LIE-1", Sharing.DISCOVERY, waits=True),
        _case("LIE-2", Sharing.DISCOVERY, waits=True),
        _case("CACHED", Sharing.NEW_INSTANCE, waits=True), _case("QUICK"),
    ]  # fmt: skip
    recorder = _Recorder()
    run_side_by_side(cases, recorder, _no_deaths, 4)
    assert recorder.started.index("VALID") < recorder.started.index("LIE-1")
    assert "LIE-2" not in recorder.beside["LIE-1"]


def test_a_discovery_lie_runs_with_nothing_of_its_job_beside_it() -> None:
    # An API may read discovery at every request (passport-zitadel does): a check beside the
    # lie, new instance or not, would meet the lie too.
    cases = [
        _case("LIE", Sharing.DISCOVERY, waits=True), _case("CACHED", Sharing.NEW_INSTANCE),
        _case("QUICK"), _case("SLOW", waits=True),
    ]  # fmt: skip
    recorder = _Recorder(lambda case: time.sleep(0.05))
    run_side_by_side(cases, recorder, _no_deaths, 4)
    assert recorder.beside["LIE"] == set()
    assert all("LIE" not in beside for beside in recorder.beside.values())
    assert recorder.beside["CACHED"] >= {"QUICK"}  # the others still run side by side


def test_waiting_checks_take_lanes_of_their_own_beside_the_working_ones() -> None:
    together = threading.Barrier(2 + 3, timeout=10)  # passes only if all five run at once
    cases = [_case(f"WORK-{n}") for n in range(2)] + [_case(f"WAIT-{n}", waits=True)
                                                      for n in range(3)]  # fmt: skip
    recorder = _Recorder(lambda case: together.wait())
    run_side_by_side(cases, recorder, _no_deaths, 2, 3)
    assert all(len(beside) == 4 for beside in recorder.beside.values())


def test_without_waiting_lanes_the_waiting_checks_share_the_working_ones() -> None:
    cases = [_case("WORK"), _case("WAIT-1", waits=True), _case("WAIT-2", waits=True)]
    recorder = _Recorder()
    results = run_side_by_side(cases, recorder, _no_deaths, 1, 0)
    assert [r.check_id for r in results] == ["WORK", "WAIT-1", "WAIT-2"]
    assert all(not beside for beside in recorder.beside.values())


def test_new_instances_and_waiting_checks_start_before_the_quick_ones() -> None:
    cases = [
        _case("QUICK"), _case("SLOW", waits=True), _case("CACHED", Sharing.NEW_INSTANCE),
        _case("VALID", family="rfc6750"), _case("CLOCK", Sharing.ALONE),
    ]  # fmt: skip
    assert [cases[n].check.id for n in priority(cases)] == [
        "CACHED", "VALID", "SLOW", "QUICK", "CLOCK"
    ]  # fmt: skip


def test_a_check_during_which_the_api_died_beside_others_runs_again_alone() -> None:
    deaths = [0]
    together = threading.Barrier(2, timeout=10)

    def hold(case: MatrixCase) -> None:
        if case.check.id == "CRASH" and deaths[0] == 0:
            together.wait()
            deaths[0] += 1  # the API died while OTHER ran beside it
        elif case.check.id == "OTHER":
            together.wait()

    cases = [_case("CRASH"), _case("OTHER")]
    recorder = _Recorder(hold)
    results = run_side_by_side(cases, recorder, lambda: deaths[0], 2)
    assert recorder.started.count("CRASH") == 2 and results[0].detail == "run 2"
    assert recorder.started.index("CRASH", 1) >= 2  # again once both had finished


def test_a_check_during_which_the_api_died_alone_is_not_run_again() -> None:
    deaths = [0]

    def hold(case: MatrixCase) -> None:
        if case.check.id == "CRASH":
            deaths[0] += 1

    recorder = _Recorder(hold)
    run_side_by_side([_case("CRASH"), _case("OTHER")], recorder, lambda: deaths[0], 1)
    assert recorder.started.count("CRASH") == 1
