"""A bounded cache of introspection answers, never kept past the token's `exp`.

RFC 7662 §4 (https://www.rfc-editor.org/rfc/rfc7662#section-4) allows a resource server to
cache answers, trading how soon a revocation is seen against load on the issuer; the answer
must not outlive the token itself. Keys are SHA-256 digests of the token, so the cache holds
no token; it is bounded so garbage tokens cannot grow it without end.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping


class IntrospectionCache:
    """Answers by token digest, each until min(stored + ttl, the token's `exp`)."""

    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._entries: OrderedDict[str, tuple[float, Mapping[str, object]]] = OrderedDict()

    def get(self, key: str, now: float) -> Mapping[str, object] | None:
        """The cached answer for `key` if it is still fresh at `now`."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if now >= entry[0]:
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: str, answer: Mapping[str, object], now: float) -> None:
        """Keep `answer` if caching is on and it is fresh for a while yet."""
        until = self._until(answer, now)
        if until <= now:
            return
        self._entries[key] = (until, answer)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def _until(self, answer: Mapping[str, object], now: float) -> float:
        until = now + self._ttl
        exp = answer.get("exp")
        if isinstance(exp, int | float) and not isinstance(exp, bool):
            until = min(until, float(exp))
        return until
