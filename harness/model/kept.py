"""A bounded store of captured lines: the newest ones, and the first ones after each mark.

A log source (an API's records, a subject's output) may write without end; a `Kept` store
holds at most `KEPT_LINES` of its newest lines and, after each of the last `KEPT_HEADS`
marks (a check takes one when it starts), the first `LOG_HEAD_LINES`. Reading from a mark gives
a `Window`: all of it when it is still kept, else its head, its tail, and what lay between,
counted (lines and characters).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from harness.model.bounds import KEPT_HEADS, KEPT_LINES, LOG_HEAD_LINES

T = TypeVar("T")


@dataclass
class Window(Generic[T]):
    """Items written after a mark: its first ones, its newest ones, and what lay between."""

    head: list[T] = field(default_factory=list)
    tail: list[T] = field(default_factory=list)
    gap_items: int = 0
    gap_size: int = 0


class Kept(Generic[T]):
    """A bounded, thread-safe store of items with their sizes: the newest `KEPT_LINES`, and
    the first `LOG_HEAD_LINES` after each of the last `KEPT_HEADS` marks."""

    def __init__(self, keep: int = KEPT_LINES, head: int = LOG_HEAD_LINES) -> None:
        # Each entry: (number, characters written before it, its own size, the item).
        self._ring: deque[tuple[int, int, int, T]] = deque(maxlen=keep)
        self._head_size = head
        self._count = 0
        self._size = 0
        self._heads: dict[int, tuple[int, list[tuple[int, int, int, T]]]] = {0: (0, [])}
        self._guard = threading.Lock()

    def append(self, item: T, size: int) -> None:
        """Keep ``item`` (``size`` characters long, as written)."""
        with self._guard:
            entry = (self._count, self._size, size, item)
            self._ring.append(entry)
            for _, first in self._heads.values():
                if len(first) < self._head_size:
                    first.append(entry)
            self._count += 1
            self._size += size

    def __len__(self) -> int:
        return self._count

    def mark(self) -> int:
        """The number of items so far; the next ones are remembered as that mark's head."""
        with self._guard:
            if self._count not in self._heads:
                self._heads[self._count] = (self._size, [])
                while len(self._heads) > KEPT_HEADS + 1:  # the run's first lines stay (mark 0)
                    del self._heads[sorted(self._heads)[1]]
            return self._count

    def window(self, mark: int = 0) -> Window[T]:
        """What was written after ``mark``: all of it if kept, else its head, gap and tail."""
        with self._guard:
            tail = [e for e in self._ring if e[0] >= mark]
            size_at_mark, first = self._heads.get(mark, (-1, []))
        if not tail or tail[0][0] == mark:
            return Window(tail=[e[3] for e in tail])
        head = [e for e in first if e[0] < tail[0][0]]
        gap_start, size_at_gap = (head[-1][0] + 1, head[-1][1] + head[-1][2]) if head else (
            mark, size_at_mark)  # fmt: skip
        gap_size = tail[0][1] - size_at_gap if size_at_gap >= 0 else 0
        return Window([e[3] for e in head], [e[3] for e in tail], tail[0][0] - gap_start, gap_size)

    def newest(self, count: int) -> list[T]:
        """The last ``count`` items kept."""
        with self._guard:
            return [e[3] for e in list(self._ring)[-count:]]
