"""Waiting checks run ahead of their tests (the pytest plugin), side by side on threads.

A pytest worker runs its tests one after another, so a check that waits out a deadline (the
slow issuer, a dripped answer: two seconds each) held its worker for the whole wait. The
waiting checks that touch only what is theirs (`Sharing.SIDE_BY_SIDE`) start together once the
session's target is first used, up to `WAIT_LANES` at once, as ``python -m harness`` runs them
beside the rest (``lanes.py``); their tests take the results. A test of a check that may not
run beside them (``ALONE``, ``OUTAGE``, ``DISCOVERY``, ``LAST``) waits until they are done.
Under xdist each worker runs ahead the waiting checks of every collected test, its own and
those dealt to the other workers (a worker does not know which it will get): waits, cheap.
"""

from __future__ import annotations

import concurrent.futures as futures
from collections.abc import Sequence

from harness.checks.base import Sharing
from harness.model.results import CheckResult
from harness.run.cases import MatrixCase
from harness.run.execute import execute
from harness.run.lanes import WAIT_LANES
from harness.targets.base import Target

# What may run beside the checks run ahead (as in lanes.py).
BESIDE = frozenset({Sharing.SIDE_BY_SIDE, Sharing.NEW_INSTANCE})


def runs_ahead(case: MatrixCase) -> bool:
    """Whether ``case`` is run ahead of its test: it waits, and touches only what is its own."""
    return case.check.waits and case.check.sharing is Sharing.SIDE_BY_SIDE


class Ahead:
    """The results of the waiting cases, being made side by side for their tests."""

    def __init__(self, target: Target, cases: Sequence[MatrixCase]) -> None:
        self._pool = futures.ThreadPoolExecutor(WAIT_LANES, thread_name_prefix="ahead")
        self._made = {
            case.id: self._pool.submit(execute, case.check, target, case.variant, case.order)
            for case in cases
            if runs_ahead(case)
        }

    def result(self, case: MatrixCase) -> CheckResult | None:
        """The case's result if it was run ahead (waited for); else None, once nothing runs
        ahead any more where the case may not run beside it."""
        made = self._made.get(case.id)
        if made is not None:
            return made.result()
        if case.check.sharing not in BESIDE:
            futures.wait(self._made.values())
        return None

    def close(self) -> None:
        """Stop: what has not started never will; what runs is waited for."""
        self._pool.shutdown(wait=True, cancel_futures=True)
