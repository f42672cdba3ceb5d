"""Finding a registered check or observation by its id (the ids the report and CLI show)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class Identified(Protocol):
    """Anything registered under an id."""

    @property
    def id(self) -> str:
        """The registered id, e.g. ``RFC6750-3.1-no-credentials``."""


T = TypeVar("T", bound=Identified)


def by_id(registered: Iterable[T], item_id: str, kind: str) -> T:
    """The item of ``registered`` whose id is ``item_id``; KeyError naming the known ids."""
    items = tuple(registered)
    for item in items:
        if item.id == item_id:
            return item
    known = ", ".join(item.id for item in items)
    raise KeyError(f"No {kind} has the id {item_id!r}. Known ids: {known}")
