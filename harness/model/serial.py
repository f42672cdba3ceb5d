"""Results as JSON data and back, written once for every result class.

``matrix.json``, the xdist messages and the worker queues carry results as plain data: enums as
their values, tuples as lists, nested dataclasses as objects. `Serial` gives a frozen
dataclass ``to_dict`` and ``from_dict`` from its own field types, so a new field needs no
serialisation code; keys the class does not know (a newer report) are ignored, and missing
ones take the field's default (an older report). Reports are written whole (`write_whole`).
"""

from __future__ import annotations

import dataclasses
import enum
import os
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self


class Serial:
    """Mixin for frozen dataclasses whose fields are plain data, enums, tuples or `Serial`s."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (enums as their values, tuples as lists)."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Rebuild an instance from ``to_dict`` output (a KeyError names a missing field)."""
        hints = _hints(cls)
        values = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                values[f.name] = _rebuilt(hints[f.name], data[f.name])
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise KeyError(f.name)
        return cls(**values)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _rebuilt(hint: Any, value: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        kinds = [a for a in args if a is not type(None)]
        return value if value is None or len(kinds) != 1 else _rebuilt(kinds[0], value)
    if origin is tuple:
        return tuple(_rebuilt(args[0], v) for v in value) if args else tuple(value)
    if isinstance(hint, type) and issubclass(hint, Serial):
        return hint.from_dict(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    return value


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
