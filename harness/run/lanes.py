"""A job's checks side by side: on threads, as many at once as the API's lanes, as each allows.

Most checks touch only what is theirs (a fresh token, a fault or lie about that token, a key
of their own), so they run beside each other and their waits overlap. A check's `Sharing` says
what else it changes, and so what may run beside it:

- ``SIDE_BY_SIDE``: anything but an ``ALONE`` or ``DISCOVERY`` check;
- ``NEW_INSTANCE`` starts another instance of the API, which reads the issuer's discovery;
  it runs beside anything a side-by-side check does, since the mock's discovery guard keeps
  a discovery lie from being told while a new instance reads discovery for the first time;
- ``DISCOVERY`` bends the discovery document for every reader: nothing of the job beside it
  (an API may read discovery at every request, as passport-zitadel does: a check beside the
  lie would meet it too), and only once the checks of RFC 6750's answers before it in its
  variant have finished (they start early), so the API's own instance has read the true
  document first, as in a run one at a time; it holds the discovery guard meanwhile;
- ``ALONE`` changes the issuer for everyone (its clock, its role shape, its JWKS endpoint) or
  loads it heavily (a 30 MB answer): nothing beside it; these run after the others (the API
  warm by then), one after another;
- ``OUTAGE`` takes an issuer endpoint down for everyone (the JWKS endpoint, waiting out the
  API's key-set cooldown): like ``ALONE``, but beside the same check of the job's other
  variants, so their cooldowns are waited out once;
- ``LAST`` reads what the whole run left (the API's log): after every other check.

New instances, discovery lies and RFC 6750's answers start first, then the waiting checks
(their waits overlap with the working ones), then the rest. The checks that work take up to
`LANES` connections to the API at once, those that wait (a deadline, a TTL, a dripped answer:
a connection that sits idle) up to `WAIT_LANES` more. A check during
which the API's process died, beside others, is run again alone afterwards, so the death is
told with the check that causes it. Results come back in the cases' order.
"""

from __future__ import annotations

import concurrent.futures as futures
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from harness.checks.base import Sharing
from harness.model.results import CheckResult
from harness.run.cases import MatrixCase
from harness.run.stopping import raise_in_thread

# Checks of one job at once: the connections the harness opens to one API (its main instance,
# its extra instances), so that a subject is not overloaded: LANES for the checks that work,
# WAIT_LANES more for those that wait (their connection sits idle until a deadline passes).
LANES = 4
WAIT_LANES = 16

RunCase = Callable[[MatrixCase], CheckResult]
Deaths = Callable[[], int]

# The order cases start in: discovery lies (a chain one at a time), new instances and other
# waits (they overlap with the rest), the rest as registered; then those alone, the last last.
_RANK = {Sharing.NEW_INSTANCE: 0, Sharing.DISCOVERY: 1, Sharing.LAST: 8}
# RFC 6750's own answers: quick, and the first to have the API introspect a valid token.
WARMING = "rfc6750"


@dataclass
class _Lanes:
    """What runs now, and what may start beside it."""

    cases: Sequence[MatrixCase]
    running: dict[int, Sharing]
    done: set[int]
    kinds: list[int]  # each case's lane: 0 working, 1 waiting
    left: list[int]  # the cases of each kind not started yet

    def admits(self, n: int) -> bool:
        """Whether case ``n`` may start beside what runs now."""
        sharing, kinds = self.cases[n].check.sharing, set(self.running.values())
        if sharing is Sharing.OUTAGE:
            return self._only_alike(n)
        if kinds & {Sharing.ALONE, Sharing.OUTAGE, Sharing.DISCOVERY}:
            return False
        if sharing is Sharing.ALONE:
            return not kinds
        if sharing is Sharing.LAST:
            return not kinds - {Sharing.LAST} and self._only_last_left()
        if sharing is Sharing.DISCOVERY:
            return not kinds and self._before_done(n)
        return True

    def room(self, lanes: int, wait_lanes: int) -> list[int]:
        """The free lanes: working ones, then waiting ones (without waiting lanes, the
        waiting checks take working ones)."""
        waiting = sum(self.cases[m].check.waits for m in self.running) if wait_lanes else 0
        return [lanes - (len(self.running) - waiting), wait_lanes - waiting]

    def _before_done(self, n: int) -> bool:
        variant = self.cases[n].variant
        return all(
            m in self.done
            for m in range(n)
            if self.cases[m].variant == variant and _warming(self.cases[m])
        )

    def _only_alike(self, n: int) -> bool:
        """Whether nothing runs but the same check as case ``n`` (of other variants)."""
        check_id = self.cases[n].check.id
        return all(self.cases[m].check.id == check_id for m in self.running)

    def _only_last_left(self) -> bool:
        return all(
            m in self.done or case.check.sharing is Sharing.LAST
            for m, case in enumerate(self.cases)
        )


def _warming(case: MatrixCase) -> bool:
    """A check of RFC 6750's answers: it has the API's own instance introspect a valid token,
    so that instance has read the true discovery document once it finished."""
    check = case.check
    return check.family == WARMING and check.sharing is Sharing.SIDE_BY_SIDE and not check.waits


def priority(cases: Sequence[MatrixCase]) -> list[int]:
    """The order cases start in (see `_RANK`); within a rank, as registered."""

    first = {case.check.id: m for m, case in reversed(list(enumerate(cases)))}

    def key(n: int) -> tuple[int, int, int]:
        if _warming(cases[n]):
            return (2, 0, n)
        check = cases[n].check
        if check.sharing is Sharing.ALONE:  # the slow ones (heavy, waiting) last among them
            return (5 + check.waits, 0, n)
        if check.sharing is Sharing.OUTAGE:  # after them, the variants of one check together
            return (7, first[check.id], n)
        return (_RANK.get(check.sharing, 3 if check.waits else 4), 0, n)

    return sorted(range(len(cases)), key=key)


def run_side_by_side(
    cases: Sequence[MatrixCase],
    run_case: RunCase,
    deaths: Deaths,
    lanes: int = LANES,
    wait_lanes: int = WAIT_LANES,
) -> list[CheckResult]:
    """Run every case, side by side where they allow; the results in the cases' order.
    ``lanes`` working checks at once, and ``wait_lanes`` waiting ones beside them."""
    results: dict[int, CheckResult] = {}
    sizes = (max(1, lanes), max(0, wait_lanes))
    kinds = [1 if case.check.waits and sizes[1] else 0 for case in cases]
    state = _Lanes(cases, {}, set(), kinds, [kinds.count(0), kinds.count(1)])
    pool = futures.ThreadPoolExecutor(sum(sizes), thread_name_prefix="check")
    try:
        again = _run_all(state, pool, run_case, deaths, sizes, results)
    except BaseException:  # a stopped run: leave the checks to the closing target, now
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    for n in sorted(again):  # one at a time, as the run would have been without lanes
        results[n] = run_case(cases[n])
    return [results[n] for n in range(len(cases))]


def _run_all(
    state: _Lanes,
    pool: futures.ThreadPoolExecutor,
    run_case: RunCase,
    deaths: Deaths,
    lanes: tuple[int, int],
    results: dict[int, CheckResult],
) -> list[int]:
    """Run the cases into ``results``; those to run again alone (the API died beside others)."""
    pending, crowded, again = priority(state.cases), set[int](), list[int]()
    running: dict[futures.Future[tuple[CheckResult, bool]], int] = {}
    while pending or running:
        raise_in_thread()  # a stopped run starts no more checks
        for n in _startable(state, pending, lanes):
            pending.remove(n)
            if len(state.running) > 1:  # it and those it runs beside are crowded
                crowded.update(state.running)
            running[pool.submit(_watched, run_case, state.cases[n], deaths)] = n
        finished, _ = futures.wait(running, return_when=futures.FIRST_COMPLETED)
        for future in finished:
            n = running.pop(future)
            del state.running[n]
            state.done.add(n)
            results[n], died = future.result()
            if died and n in crowded:
                again.append(n)
    return again


def _startable(state: _Lanes, pending: list[int], lanes: tuple[int, int]) -> list[int]:
    """The pending cases that may start now, in priority order, each entered as running; an
    alone case that must wait holds back everything after it (else it might never start).
    The look stops once no lane is free for a kind of case still pending (``left``)."""
    chosen: list[int] = []
    free, left = state.room(*lanes), list(state.left)
    for n in pending:
        if all(free[k] <= 0 or not left[k] for k in (0, 1)):
            break
        kind = state.kinds[n]
        left[kind] -= 1
        sharing = state.cases[n].check.sharing
        if sharing in (Sharing.ALONE, Sharing.OUTAGE) and not state.admits(n):
            break  # it waits for what runs now; nothing after it starts meanwhile
        if free[kind] > 0 and state.admits(n):
            free[kind] -= 1
            state.left[kind] -= 1
            state.running[n] = sharing
            chosen.append(n)
    return chosen


def _watched(run_case: RunCase, case: MatrixCase, deaths: Deaths) -> tuple[CheckResult, bool]:
    """The case's result, and whether the API died during it."""
    before = deaths()
    result = run_case(case)
    return result, deaths() != before
