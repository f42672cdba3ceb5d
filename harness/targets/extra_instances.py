"""A subject's instances beyond its own: those kept for the run, and the one lies are told to.

- Kept instances (the cached one, the odd secret's) start at their first use, by their changed
  placeholders, and are shared by the checks beside each other; their start and a first
  request with a valid token read under the mock's discovery guard (``discovery_guard.py``),
  the whole first use where that request was not let in.
- Discovery lies need an instance that has not read the true document. One is started inside
  the first lie and kept for the next: an API that refused a lying document reads discovery
  again at its next request (a failure is not cached). Where it does not (the lie is not
  told), the lie asks for a new one (``renew``), as it would have without reuse.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import httpx

from harness.model.routes import Route
from harness.subjects.instances import SubjectInstances, stop_together
from harness.subjects.process import SubjectStartError
from harness.targets.api_client import ApiClient
from harness.targets.discovery_guard import DiscoveryGuard, FirstUse

Changes = Mapping[str, str]


class ExtraInstances:
    """The extra instances of one subject; ``make`` starts instances with changed values."""

    def __init__(
        self,
        make: Callable[[Changes], SubjectInstances],
        guard: DiscoveryGuard | None,
        lets_in: Callable[[str], bool] = lambda url: False,
    ) -> None:
        self._make = make
        self._guard = guard
        self._lets_in = lets_in  # whether the instance at a URL lets a valid token in
        self._kept: dict[tuple[tuple[str, str], ...], SubjectInstances] = {}
        self._lock = threading.Lock()
        self._first_use = FirstUse()
        self._for_lies: SubjectInstances | None = None

    @contextmanager
    def kept(self, changes: Changes) -> Iterator[str]:
        """The instance with ``changes``, started at its first use and kept for the run."""
        key = tuple(sorted(changes.items()))
        with self._lock:
            if key not in self._kept:
                self._kept[key] = self._make(changes)
            kept = self._kept[key]
        with self._first_use.use(key, self._guard, lambda: self._lets_in(kept.url())):
            yield kept.url()

    @contextmanager
    def for_lies(self, renew: bool) -> Iterator[tuple[str, bool]]:
        """The instance discovery lies are told to (the caller holds the discovery guard):
        the one kept from the lie before, or with ``renew`` (or none yet) a new one; its URL,
        and whether it is new."""
        with self._lock:
            if renew and self._for_lies is not None:
                self._for_lies.stop()
                self._for_lies = None
            new = self._for_lies is None
            if self._for_lies is None:
                self._for_lies = self._make({})
            instances = self._for_lies
        try:
            url = instances.url()
        except SubjectStartError:
            with self._lock:  # the next lie starts one anew
                if self._for_lies is instances:
                    self._for_lies = None
            instances.stop()
            raise
        yield url, new

    def stop(self) -> None:
        """Stop every extra instance."""
        with self._lock:
            every = [*self._kept.values(), *([self._for_lies] if self._for_lies else [])]
        stop_together(instances.stop for instances in every)


def lets_in(http: ApiClient, route: Route, token: Callable[[], str]) -> Callable[[str], bool]:
    """Whether the API at a base URL answers ``route`` with a valid ``token()`` with a 2xx: it
    has then validated the token, and so read the issuer's discovery."""

    def ask(url: str) -> bool:
        headers = route.headers_with([("Authorization", f"Bearer {token()}")])
        try:
            answer = http.fetch(route.method, url + route.path, headers, route.body)
        except httpx.HTTPError:
            return False
        return 200 <= answer.status < 300

    return ask
