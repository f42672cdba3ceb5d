"""Typed getters for a subject file's TOML values: a bad value is an error naming file and key.

Every getter raises `SubjectError` with the file's path, the key (``routes.private``,
``env.PORT``, ...) and what is allowed, so a user's mistake never ends in a traceback. Before
any getter, `Keys.plain_text` reads every key and string of the file character by character:
a control character (Unicode category Cc: NUL, CR, ESC, DEL, ...) is an error naming the key
and the character, never the value (it may be a secret). TAB and LF are allowed only where
text may span lines: ``description``, ``command`` and ``[env]`` values.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The top-level keys whose strings may hold TAB and LF (free text, arguments, environment).
_MULTILINE = frozenset({"description", "command", "env"})
_LINE_CONTROLS = "\t\n"
_CONTROL_NAMES = {0: "NUL", 9: "TAB", 10: "LF", 13: "CR", 27: "ESC", 127: "DEL"}


class SubjectError(Exception):
    """A subject file that cannot be used; the message names the file, the key and the fix."""


@dataclass(frozen=True)
class Keys:
    """Typed getters that turn a bad value into a `SubjectError` naming file and key."""

    path: Path

    def error(self, key: str, problem: str) -> SubjectError:
        return SubjectError(f"{self.path}: {key} {problem}")

    def plain_text(self, data: Mapping[str, Any]) -> None:
        """A `SubjectError` for the first key or string value holding a control character."""
        for key, text, is_name in _strings(data, ""):
            allowed = "" if is_name or _top(key) not in _MULTILINE else _LINE_CONTROLS
            for position, char in enumerate(text, 1):
                if unicodedata.category(char) == "Cc" and char not in allowed:
                    what = (f"a key in [{key}]" if key else "a top-level key") if is_name else key
                    raise SubjectError(
                        f"{self.path}: {what} holds the control character {_shown(char)} at "
                        f"character {position}; none is allowed (only TAB and LF, in "
                        "description, command and [env] values)"
                    )

    def only(self, table: Mapping[str, Any], allowed: frozenset[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                names = ", ".join(sorted(allowed))
                raise self.error(f"{prefix}{key}", f"is not a known key; allowed: {names}")

    def text(self, table: Mapping[str, Any], key: str, default: str, prefix: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise self.error(prefix + key, f"must be a string, not {type(value).__name__}")
        return value

    def name(self, table: Mapping[str, Any]) -> str:
        if "name" not in table:
            raise self.error("name", 'is missing: the id in reports, e.g. name = "my-api"')
        value = self.text(table, "name", "")
        if not _NAME.match(value):
            raise self.error(
                "name", f"is {value!r}: use letters, digits, '.', '_' or '-' (at most 64)"
            )
        return value

    def choice(self, table: Mapping[str, Any], key: str, allowed: list[str]) -> str:
        if key not in table:
            raise self.error(key, f"is missing; allowed: {' | '.join(allowed)}")
        value = self.text(table, key, "")
        if value not in allowed:
            raise self.error(key, f"is {value!r}; allowed: {' | '.join(allowed)}")
        return value

    def command(self, table: Mapping[str, Any]) -> tuple[str, ...]:
        value = table.get("command")
        example = 'e.g. command = ["python", "app.py", "--port", "{port}"]'
        if value is None:
            raise self.error("command", f"is missing: how to start the API, {example}")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.error("command", f"must be a non-empty list of strings, {example}")
        return tuple(value)

    def modules(self, table: Mapping[str, Any], command: tuple[str, ...]) -> tuple[str, ...]:
        """``preload``: Python module names, for a command of a form that can preload."""
        value = table.get("preload", [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error("preload", 'must be a list of module names, e.g. ["fastapi"]')
        for name in value:
            if not _MODULE.match(name):
                raise self.error("preload", f"holds {name!r}, which is no module name")
        if value and not python_command(command):
            raise self.error(
                "preload", "needs a Python command: [python, -m, module, ...] or [python, "
                "script.py, ...]"
            )  # fmt: skip
        return tuple(value)

    def route(
        self, table: Mapping[str, Any], key: str, default: str, prefix: str = ""
    ) -> str:  # fmt: skip
        value = self.text(table, key, default, prefix)
        if not value.startswith("/"):
            raise self.error(prefix + key, f"is {value!r}: a path starting with '/', e.g. /api/x")
        return value

    def seconds(self, table: Mapping[str, Any], key: str, default: float | None) -> Any:
        value = table.get(key, default)
        if value is None:
            return None
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or not 0 < value <= 600:
            raise self.error(key, f"is {value!r}: a number of seconds, more than 0, at most 600")
        return float(value)

    def flag(self, table: Mapping[str, Any], key: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise self.error(key, f"is {value!r}: true or false")
        return value

    def wait(self, table: Mapping[str, Any], key: str) -> float | None:
        """A stated wait of the API's own (``cache_ttl``, ``jwks_cooldown``): 0 to 600 s."""
        value = table.get(key)
        if value is None:
            return None
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or not 0 <= value <= 600:
            raise self.error(key, f"is {value!r}: a number of seconds, from 0 to 600")
        return float(value)

    def env(self, table: object) -> dict[str, str]:
        if not isinstance(table, dict):
            raise self.error("env", 'must be a table ([env]) of NAME = "value"')
        for name, value in table.items():
            if not _ENV_NAME.match(name):
                raise self.error(f"env.{name}", "is not a valid environment variable name")
            if not isinstance(value, str):
                raise self.error(f"env.{name}", 'must be a string (quote numbers: "8080")')
        return dict(table)

    def expect(self, table: object) -> frozenset[str]:
        if not isinstance(table, dict):
            raise self.error("expect", "must be a table ([expect]) with fail = [check ids]")
        self.only(table, frozenset({"fail"}), "expect.")
        ids = table.get("fail", [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise self.error("expect.fail", "must be a list of check ids")
        return frozenset(ids)


def python_command(command: Sequence[str]) -> bool:
    """Whether a command has a form that can preload: ``[python, -m, module, ...]`` or
    ``[python, script.py, ...]``."""
    module = len(command) >= 3 and command[1] == "-m"
    return module or (len(command) >= 2 and command[1].endswith(".py"))


def _strings(value: object, key: str) -> Iterator[tuple[str, str, bool]]:
    """(key, text, is_name) for every table key and string value under ``key``; a table's
    keys come before their values, so a bad name is found before it is used in a key."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield key, name, True
            yield from _strings(item, f"{key}.{name}" if key else name)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _strings(item, f"{key}[{n}]")
    elif isinstance(value, str):
        yield key, value, False


def _top(key: str) -> str:
    return key.split(".", 1)[0].split("[", 1)[0]


def _shown(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code)
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"
