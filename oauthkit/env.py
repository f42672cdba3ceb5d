"""Variables from the process environment layered over a `.env` file, read with typed getters.

The twelve-factor convention (https://12factor.net/config) that ZITADEL's examples follow: a
`.env` file beside the program, and the process environment taking precedence over it. Only
entry points build an `EnvSource` (they pass `os.environ` in); library code takes settings.
Every getter raises `ConfigError` naming the variable, the `.env` file it was looked for in, and
an example value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from dotenv import dotenv_values

from oauthkit.errors import ConfigError

T = TypeVar("T")


@dataclass(frozen=True)
class EnvSource:
    """Configuration variables and the `.env` file they were (or would have been) read from."""

    values: Mapping[str, str]
    env_file: Path
    env_file_found: bool = True

    @classmethod
    def load(cls, env_file: Path, environ: Mapping[str, str], *, required: bool) -> EnvSource:
        """Read `env_file` if it exists (an error if `required`), then overlay `environ`."""
        env_file = env_file.absolute()
        if env_file.is_file():
            # No interpolation: a secret containing `$` must arrive exactly as written.
            parsed = dotenv_values(env_file, interpolate=False)
            values = {k: v for k, v in parsed.items() if v is not None}
        elif required:
            raise ConfigError(
                f"env file {env_file} does not exist: pass --env-file with the path of your "
                ".env (copy .env.example, or run python -m mock_issuer --write-env DIR)"
            )
        else:
            values = {}
        return cls({**values, **environ}, env_file, env_file.is_file())

    def where(self) -> str:
        """Where variables were looked for, for error messages."""
        found = "" if self.env_file_found else " (which does not exist)"
        return f"the environment and {self.env_file}{found}"

    def get(self, name: str) -> str | None:
        """The value of `name`, or None when it is unset."""
        return self.values.get(name)

    def require(self, name: str, example: str) -> str:
        """The value of `name`; unset or empty is a `ConfigError`."""
        value = self.values.get(name, "").strip()
        if not value:
            raise self.error(name, "is not set", example)
        return value

    def error(self, name: str, problem: str, example: str) -> ConfigError:
        """A `ConfigError` about `name` that says where it was looked for and shows an example."""
        return ConfigError(
            f"{name} {problem} (looked in {self.where()}); set it, for example: {name}={example}"
        )

    def number(self, name: str, default: float, example: str) -> float:
        """A non-negative number of seconds; unset means `default`."""
        raw = self.values.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise self.error(name, f"is {raw!r}, not a number", example) from None
        if not math.isfinite(value) or value < 0:
            raise self.error(name, f"is {raw!r}, not a non-negative number", example)
        return value

    def positive(self, name: str, default: float) -> float:
        """A number more than 0; unset means `default`."""
        value = self.number(name, default, f"{default:g}")
        if value <= 0:
            raise self.error(name, "must be more than 0", f"{default:g}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        """A boolean written as true/false (also 1/0, yes/no); unset means `default`."""
        raw = self.values.get(name, "").strip().lower()
        if not raw:
            return default
        if raw in ("true", "1", "yes", "on"):
            return True
        if raw in ("false", "0", "no", "off"):
            return False
        raise self.error(name, f"is {raw!r}, not true or false", "true")

    def path(self, name: str, example: str) -> Path:
        """An existing file; a relative path is tried against the `.env` directory, then CWD."""
        raw = Path(self.require(name, example)).expanduser()
        candidates = [raw] if raw.is_absolute() else [self.env_file.parent / raw, Path.cwd() / raw]
        for candidate in candidates:
            if candidate.is_file():
                return candidate
        tried = " and ".join(str(c) for c in candidates)
        raise self.error(name, f"names a file that does not exist (tried {tried})", example)

    def file(self, name: str, example: str, read: Callable[[Path], T]) -> T:
        """The file `name` names, read by `read`; its `ConfigError` is prefixed with `name`."""
        path = self.path(name, example)
        try:
            return read(path)
        except ConfigError as exc:
            raise ConfigError(f"{name}: {exc}") from None
