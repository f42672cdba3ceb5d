"""Waiting checks run ahead of their tests (harness/run/ahead.py), and what waits for them."""

from __future__ import annotations

import threading

import pytest

from harness.checks.base import Check, CheckContext, Sharing, Where
from harness.model.matrix import Mode, cell_by_number, variants
from harness.model.results import CheckResult, Level, Outcome, Status
from harness.run import ahead as ahead_module
from harness.run.ahead import Ahead, runs_ahead
from harness.run.cases import MatrixCase

OPAQUE, _ = variants(cell_by_number(3), Mode.MOCK)


def _passed(ctx: CheckContext) -> Outcome:
    return Outcome(Status.PASSED)


def _case(check_id: str, sharing: Sharing = Sharing.SIDE_BY_SIDE, waits: bool = False
          ) -> MatrixCase:  # fmt: skip
    check = Check(check_id, check_id, "RFC 0", Level.MUST, Where.BOTH, _passed,
                  sharing=sharing, waits=waits)  # fmt: skip
    return MatrixCase(OPAQUE, check, 0)


SLOW = _case("SLOW", waits=True)
QUICK = _case("QUICK")
ALONE = _case("ALONE", Sharing.ALONE)
PROPAGATION = _case("PROPAGATION", Sharing.NEW_INSTANCE, waits=True)


def test_only_waiting_checks_that_touch_what_is_theirs_run_ahead() -> None:
    assert [runs_ahead(c) for c in (SLOW, QUICK, ALONE, PROPAGATION)] == [
        True, False, False, False,
    ]  # fmt: skip


def test_a_waiting_case_is_made_ahead_and_one_alone_waits_until_it_is_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release, threads = threading.Event(), []

    def execute(check: Check, target: object, variant: object, order: int) -> CheckResult:
        threads.append(threading.current_thread().name)
        release.wait(10)
        return CheckResult(3, OPAQUE.slug, "opaque", check.id, check.id, "RFC 0", Level.MUST,
                           Status.PASSED)  # fmt: skip

    monkeypatch.setattr(ahead_module, "execute", execute)
    ahead = Ahead(None, [SLOW, QUICK, ALONE])  # type: ignore[arg-type]
    try:
        assert ahead.result(QUICK) is None  # runs beside it, in its test: not held up
        alone: list[CheckResult | None] = []
        waiting = threading.Thread(target=lambda: alone.append(ahead.result(ALONE)))
        waiting.start()
        waiting.join(0.2)
        assert waiting.is_alive()  # the case alone waits for the case run ahead
        release.set()
        waiting.join(10)
        assert alone == [None]  # then its test runs it
        made = ahead.result(SLOW)
        assert made is not None and made.check_id == "SLOW"
        assert threads and threads[0].startswith("ahead")
    finally:
        release.set()
        ahead.close()
