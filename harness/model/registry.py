"""One registry shape for checks and observations: items in report order, found by id.

The ids are what the report, ``--checks`` and a subject file's ``[expect] fail`` name; they
are unique, and a wrong one gets an error suggesting the closest known ids.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Protocol, TypeVar

SUGGESTED = 3


class Identified(Protocol):
    """Anything registered under an id."""

    @property
    def id(self) -> str:
        """The registered id, e.g. ``RFC6750-3.1-no-credentials``."""


T = TypeVar("T", bound=Identified)


class Registry(tuple[T, ...]):
    """The registered items of one ``kind`` ("check", "observation"), in report order."""

    kind: str

    def __new__(cls, kind: str, items: Iterable[T]) -> Registry[T]:
        registry = super().__new__(cls, tuple(items))
        registry.kind = kind
        ids = [item.id for item in registry]
        doubled = sorted({i for i in ids if ids.count(i) > 1})
        if doubled:
            raise ValueError(f"{kind} ids registered twice: {', '.join(doubled)}")
        return registry

    def by_id(self, item_id: str) -> T:
        """The item whose id is ``item_id``; KeyError naming the closest known ids."""
        return by_id(self, item_id, self.kind)

    def order_of(self, item_id: str) -> int:
        """The item's place in report order."""
        return next(n for n, item in enumerate(self) if item.id == item_id)


def by_id(registered: Iterable[T], item_id: str, kind: str) -> T:
    """The item of ``registered`` whose id is ``item_id``; KeyError naming the closest ids."""
    items = tuple(registered)
    for item in items:
        if item.id == item_id:
            return item
    ids = [item.id for item in items]
    close = difflib.get_close_matches(item_id, ids, n=SUGGESTED, cutoff=0.4)
    hint = (
        f"Did you mean {', '.join(close)}?"
        if close
        else (f"None is close; {kind} ids look like {', '.join(ids[:SUGGESTED])}.")
    )
    raise KeyError(
        f"No {kind} has the id {item_id!r}. {hint} ({len(ids)} {kind} ids in all: see "
        "docs/harness.md)"
    )
