"""How long until the API notices: a token revoked, a role removed, a user deactivated.

RFC 7662 §4: a resource server may cache introspection answers, trading how soon it sees a
revocation against load on the issuer (ZITADEL issue #11177 is users asking for this figure).
Each check makes the change at the mock issuer, then polls the API until its answer changes,
and reports the time: with the API as configured (the harness runs the samples with the cache
off: the first poll after the change must see it), and, where the target can start the API
with `INTROSPECTION_CACHE_TTL` set (our samples), with a cache of :data:`CACHED_TTL_S`: at most
that long. Each is waited for no longer than the API's cache TTL (as its subject file states it,
or :data:`CACHED_TTL_S`) plus :data:`MARGIN_S`; an API stating none gets :data:`POLL_LIMIT_S`.
The figures are in each result's "actual" and in the terminal ("Propagation").

They depend on the API, not on how the token was obtained: they run in the client-credentials
cells, and the cached measurement with opaque tokens only (it waits up to the TTL).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from harness.checks.base import (
    INTROSPECTING,
    ONLY_INTROSPECTION,
    Check,
    CheckContext,
    Sharing,
    Where,
)
from harness.checks.lies import ONE_CELL, ONE_CELL_REASON
from harness.model.figures import FIGURE_PREFIX
from harness.model.matrix import TokenFormat
from harness.model.results import Level, Outcome, Status
from harness.model.skips import NotApplicable

# Short enough to measure in a fraction of a second, long enough to tell a cache from none.
CACHED_TTL_S = 0.3
POLL_S = 0.05
# How long an API that states no cache TTL is given to notice a change.
POLL_LIMIT_S = 5.0
# Beyond the TTL: a poll's round trip and a busy machine's scheduling.
MARGIN_S = 1.0


@dataclass(frozen=True)
class Change:
    """One change at the issuer, the route that shows it, and the answer that proves it seen."""

    slug: str
    title: str
    route: str  # "private" or "scoped"
    seen: int


CHANGES = (
    Change("revocation", "a token revoked", "private", 401),
    Change("role-removal", "the user's role removed", "scoped", 403),
    Change("deactivation", "the user deactivated", "private", 401),
)


@dataclass(frozen=True)
class Figure:
    """How long the API took to notice, or None when it did not within ``limit`` seconds;
    ``stale_s``: when the last poll that still got the old answer was sent (None: none did)."""

    seconds: float | None
    polls: int
    limit: float = POLL_LIMIT_S
    stale_s: float | None = None

    def late(self, bound: float) -> bool:
        """Whether the API answered as before the change to a poll sent after ``bound`` (or
        never noticed): a slow answer that already shows the change is not late."""
        return self.seconds is None or (self.stale_s or 0.0) > bound

    def text(self) -> str:
        """The figure in words."""
        if self.seconds is None:
            return f"not noticed within {self.limit:g} s"
        first = " (first poll)" if self.polls == 1 else ""
        return f"{self.seconds:.2f} s{first}"


def _measure(ctx: CheckContext, change: Change, base_url: str, limit: float) -> Figure:
    mock = ctx.target.mock
    assert mock is not None
    subject = mock.propagation_subject(ctx.variant.token_format)
    path = ctx.routes.private if change.route == "private" else ctx.routes.scoped
    if path is None:
        raise NotApplicable("the subject has no route that needs a role")
    before = ctx.call(path, f"Bearer {subject.token}", base_url=base_url)
    if before.status != 200:
        raise NotApplicable(f"the API refused the fresh token before the change ({before.status})")
    getattr(subject, change.slug.replace("-", "_"))()
    started, polls, stale = time.monotonic(), 0, None
    while (sent := time.monotonic() - started) < limit:
        polls += 1
        reply = ctx.call(path, f"Bearer {subject.token}", base_url=base_url)
        if reply.status == change.seen:
            return Figure(time.monotonic() - started, polls, limit, stale)
        stale = sent
        time.sleep(POLL_S)
    return Figure(None, polls, limit, stale)


def _propagation(change: Change) -> Callable[[CheckContext], Outcome]:
    def check(ctx: CheckContext) -> Outcome:
        if ctx.target.mock is None:
            raise NotApplicable("the change is made at the mock issuer")
        ctx.exchanges.clear()
        waits = ctx.target.waits(ctx.variant.cell.mechanism)
        limit = waits.cache_deadline(POLL_LIMIT_S, MARGIN_S)
        as_configured = _measure(ctx, change, ctx.api_url, limit)
        figures = [f"cache as configured: {as_configured.text()}"]
        problems = [] if as_configured.seconds is not None else ["never noticed"]
        cached = _cached(ctx, change)
        if cached is not None:
            figures.append(f"cache {CACHED_TTL_S:g} s: {cached.text()}")
            if cached.late(CACHED_TTL_S + MARGIN_S):
                problems.append(f"took longer than the cache TTL of {CACHED_TTL_S:g} s")
        del ctx.exchanges[:-4]  # the figure is the point, not every poll
        expected = f"the API notices {change.title} (cached: within the TTL)"
        status = Status.FAILED if problems else Status.PASSED
        return ctx.outcome(status, expected, "; ".join(figures), "; ".join(problems))

    check.__doc__ = f"Time until the API notices {change.title}."
    return check


def _cached(ctx: CheckContext, change: Change) -> Figure | None:
    if ctx.variant.token_format is not TokenFormat.OPAQUE:
        return None
    with ctx.target.cached_api(ctx.variant.cell.mechanism, CACHED_TTL_S) as base_url:
        return _measure(ctx, change, base_url, CACHED_TTL_S + MARGIN_S)


CHECKS = tuple(
    Check(
        f"{FIGURE_PREFIX}{change.slug}",
        f"Propagation: time until the API notices {change.title}",
        "RFC 7662 §4",
        Level.MUST,
        Where.MOCK,
        _propagation(change),
        grants=ONE_CELL,
        other_grants_reason=ONE_CELL_REASON,
        mechanisms=INTROSPECTING,
        other_mechanisms_reason=ONLY_INTROSPECTION,
        sharing=Sharing.NEW_INSTANCE,
        waits=True,
    )
    for change in CHANGES
)
