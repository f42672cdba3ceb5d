"""Results as JSON data and back, written once for every result class.

``matrix.json``, the xdist messages and the worker queues carry results as plain data: enums as
their values, tuples as lists, nested dataclasses as objects. `Serial` gives a frozen
dataclass ``to_dict`` and ``from_dict`` from its own field types, so a new field needs no
serialisation code; keys the class does not know (a newer report) are ignored, and missing
ones take the field's default (an older report). Data that does not fit (a member missing, of
the wrong kind, an unknown level) is a `NotSerial` naming the member and what it holds, in
words. Reports are written whole (`write_whole`).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import os
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self


class NotSerial(ValueError):
    """Data that does not fit a `Serial` class: ``where`` is the member's path, e.g.
    ``exchanges[0].status``, ``problem`` what is wrong with it."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where} {problem}" if where else problem)
        self.where, self.problem = where, problem

    def inside(self, outer: str) -> NotSerial:
        """The same problem, one level further out (``outer.where``)."""
        dot = "." if self.where and not self.where.startswith("[") else ""
        return NotSerial(f"{outer}{dot}{self.where}", self.problem)


class Serial:
    """Mixin for frozen dataclasses whose fields are plain data, enums, tuples or `Serial`s."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (enums as their values, tuples as lists)."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Rebuild an instance from ``to_dict`` output; `NotSerial` names a member that is
        missing or does not fit."""
        if not isinstance(data, dict):
            raise NotSerial("", f"is {_shown(data)}, not an object")
        hints = _hints(cls)
        values = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                try:
                    values[f.name] = _rebuilt(hints[f.name], data[f.name])
                except NotSerial as exc:
                    raise exc.inside(f.name) from None
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise NotSerial(f.name, "is missing")
        return cls(**values)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    # Plain values first: they are most of a result (a run's report turns thousands into JSON).
    if value is None or type(value) in (str, int, float, bool):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# What a plain member must hold, in words (bool is no number here, though Python says so).
_PLAIN: dict[Any, tuple[str, tuple[type, ...]]] = {
    str: ("text", (str,)),
    int: ("a whole number", (int,)),
    float: ("a number", (int, float)),
    bool: ("true or false", (bool,)),
}


@functools.cache
def _shape(hint: Any) -> tuple[Any, tuple[Any, ...]]:
    """A hint's origin and arguments (asked for every value a run's results hold)."""
    return typing.get_origin(hint), typing.get_args(hint)


def _rebuilt(hint: Any, value: Any) -> Any:
    origin, args = _shape(hint)
    if origin in (types.UnionType, typing.Union):
        kinds = [a for a in args if a is not type(None)]
        return value if value is None or len(kinds) != 1 else _rebuilt(kinds[0], value)
    if origin is tuple:
        return _items(args[0] if args else Any, value)
    if origin is dict or hint is dict:
        return _fitting(value, (dict,), "an object")
    if isinstance(hint, type) and issubclass(hint, Serial):
        return hint.from_dict(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _member(hint, value)
    if hint in _PLAIN:
        words, plain = _PLAIN[hint]
        ok = isinstance(value, plain) and (hint is bool or not isinstance(value, bool))
        return value if ok else _fitting(value, (), words)
    return value


def _items(hint: Any, value: Any) -> tuple[Any, ...]:
    _fitting(value, (list, tuple), "a list")
    items = []
    for n, item in enumerate(value):
        try:
            items.append(_rebuilt(hint, item))
        except NotSerial as exc:
            raise exc.inside(f"[{n}]") from None
    return tuple(items)


def _member(kind: type[enum.Enum], value: Any) -> enum.Enum:
    try:
        return kind(value)
    except (ValueError, TypeError):
        allowed = ", ".join(str(m.value) for m in kind)
        raise NotSerial("", f"is {_shown(value)}: one of {allowed}") from None


def _fitting(value: Any, kinds: tuple[type, ...], words: str) -> Any:
    if kinds and isinstance(value, kinds):
        return value
    raise NotSerial("", f"is {_shown(value)}: {words} was expected")


def _shown(value: Any) -> str:
    """A value in an error as JSON writes it, at most 40 characters of it."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:37] + "..."


def write_whole(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, as they come) to a temporary name beside ``path``, then
    rename it over ``path`` (atomic): a reader, or a run killed while writing, never sees half a
    file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as out:
            out.writelines([text] if isinstance(text, str) else text)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
