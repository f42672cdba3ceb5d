"""The subject file: a TOML description of any HTTP API protected by bearer tokens.

A user describes their resource server (RFC 6750) in a small TOML file read with the standard
library's `tomllib`: its name, how it checks tokens (introspection with one of two client
authentications, RFC 7662 §2.1, or local JWT validation, RFC 9068 §4), how to start it, its
routes, the names of its own settings, and its known deviations. `load_subject` validates every
key; a problem is a `SubjectError` naming the file, the key and what is allowed, never a
traceback. The contract is public (`docs/subjects.md`): keep it stable.
"""

from __future__ import annotations

import importlib.util
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.model.matrix import Mechanism
from harness.model.results import SubjectInfo
from harness.model.routes import Routes
from harness.model.waits import StatedWaits
from harness.subjects.keys import Keys, SubjectError
from harness.subjects.openapi import OpenApiSource, read_openapi
from harness.subjects.placeholders import check_templates, names_in
from harness.subjects.routes import read_routes

__all__ = [
    "Subject",
    "SubjectError",
    "check_expectations",
    "chosen_subjects",
    "load_subject",
    "load_subject_dir",
    "sample_subjects",
    "unique_names",
]

SUBJECT_SUFFIX = ".toml"
DEFAULT_STARTUP_TIMEOUT_S = 30.0
_TOP_KEYS = frozenset(
    {"name", "description", "mechanism", "command", "cwd", "ready", "startup_timeout",
     "issuer_timeout", "cache_ttl", "jwks_cooldown", "protocol", "routes", "env", "expect",
     "service_user_secrets", "openapi", "preload"}
)  # fmt: skip
PROTOCOLS = ("http", "mcp")  # mcp: the protected routes are MCP endpoints (streamable HTTP)


@dataclass(frozen=True)
class Subject:
    """One resource server the harness can start and check, as its file describes it."""

    name: str
    mechanism: Mechanism
    command: tuple[str, ...]
    path: Path
    description: str = ""
    cwd: Path = Path(".")
    ready: str = "/api/public"
    startup_timeout: float = DEFAULT_STARTUP_TIMEOUT_S
    issuer_timeout: float | None = None
    protocol: str = "http"
    waits: StatedWaits = field(default_factory=StatedWaits)
    routes: Routes = field(default_factory=Routes)
    env: Mapping[str, str] = field(default_factory=dict)
    expect_fail: frozenset[str] = frozenset()
    # Opt-in: the {env_file} holds the service users' secrets too (docs/subjects.md).
    service_user_secrets: bool = False
    openapi: OpenApiSource | None = None  # its OpenAPI document, where the file names one
    preload: tuple[str, ...] = ()  # modules its instances share, imported once (preload.py)

    def templates(self) -> Iterable[tuple[str, str]]:
        """Every (key, template) that may hold placeholders, for checking and expanding."""
        for n, part in enumerate(self.command):
            yield f"command[{n}]", part
        for name, value in self.env.items():
            yield f"env.{name}", value

    def uses_placeholder(self, *names: str) -> bool:
        """Whether the command or the environment use any of these placeholders."""
        return any(set(names_in(template)) & set(names) for _, template in self.templates())

    def info(self) -> SubjectInfo:
        """What a report needs of this file: its path (relative to the working directory when
        under it), mechanism, and the subject's own name for each placeholder it uses."""
        named = [(p, name) for name, value in self.env.items() for p in names_in(value)]
        named += [(p, "its command line") for p in names_in(" ".join(self.command))]
        file = self.path.relative_to(Path.cwd()) if self.path.is_relative_to(Path.cwd()) else None
        return SubjectInfo(
            self.name, str(file or self.path), str(self.mechanism), self.description, tuple(named)
        )


def load_subject(path: Path) -> Subject:
    """Read and validate the subject file at ``path``."""
    try:
        # utf-8-sig: a byte order mark, as some editors write, is not part of the TOML.
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SubjectError(f"{path}: no such subject file") from None
    except UnicodeDecodeError as exc:
        raise SubjectError(f"{path}: is not UTF-8 text (byte {exc.start} is invalid)") from None
    except OSError as exc:
        raise SubjectError(f"{path}: cannot be read ({type(exc).__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SubjectError(f"{path}: not valid TOML ({exc})") from None
    return _subject(path.resolve(), data)


def load_subject_dir(directory: Path) -> tuple[Subject, ...]:
    """Every ``*.toml`` subject file under ``directory`` (recursively), sorted by path."""
    if not directory.is_dir():
        raise SubjectError(f"{directory}: --subject-dir is not a directory")
    found = sorted(p for p in directory.rglob(f"*{SUBJECT_SUFFIX}") if _is_subject(p, directory))
    if not found:
        raise SubjectError(f"{directory}: holds no subject file (*{SUBJECT_SUFFIX})")
    return tuple(load_subject(p) for p in found)


def unique_names(subjects: tuple[Subject, ...]) -> tuple[Subject, ...]:
    """The subjects, after checking that no two share a name (results are keyed by it)."""
    seen: dict[str, Path] = {}
    for subject in subjects:
        if subject.name in seen:
            raise SubjectError(
                f"{subject.path}: name {subject.name!r} is already used by {seen[subject.name]}; "
                "give each subject its own name"
            )
        seen[subject.name] = subject.path
    return subjects


def _is_subject(path: Path, directory: Path) -> bool:
    # Tool files that happen to be TOML (pyproject.toml, Cargo.toml...) are not subjects, nor
    # anything inside installed dependencies or hidden folders (.venv, module caches).
    if path.name in {"pyproject.toml", "Cargo.toml"}:
        return False
    folders = path.relative_to(directory).parts[:-1]
    return not any(p == "node_modules" or p.startswith(".") for p in folders)


def _subject(path: Path, data: dict[str, Any]) -> Subject:
    keys = Keys(path)
    keys.plain_text(data)
    keys.only(data, _TOP_KEYS, "")
    mechanism = keys.choice(data, "mechanism", [m.value for m in Mechanism])
    routes = read_routes(keys, data.get("routes", {}))
    command = keys.command(data)
    subject = Subject(
        name=keys.name(data),
        description=keys.text(data, "description", ""),
        mechanism=Mechanism(mechanism),
        command=command,
        path=path,
        cwd=(path.parent / keys.text(data, "cwd", ".")).resolve(),
        ready=keys.route(data, "ready", routes.public.path),
        startup_timeout=keys.seconds(data, "startup_timeout", DEFAULT_STARTUP_TIMEOUT_S),
        issuer_timeout=keys.seconds(data, "issuer_timeout", None),
        protocol=keys.choice({"protocol": "http", **data}, "protocol", list(PROTOCOLS)),
        waits=StatedWaits(keys.wait(data, "cache_ttl"), keys.wait(data, "jwks_cooldown")),
        routes=routes,
        env=keys.env(data.get("env", {})),
        expect_fail=keys.expect(data.get("expect", {})),
        service_user_secrets=keys.flag(data, "service_user_secrets"),
        openapi=read_openapi(keys, data, path.parent),
        preload=keys.modules(data, command),
    )
    if not subject.cwd.is_dir():
        raise SubjectError(f"{path}: cwd {subject.cwd} is not a directory (relative to the file)")
    problem = check_templates(subject.templates(), subject.mechanism, _stated(subject.waits))
    if problem:
        raise SubjectError(f"{path}: {problem}")
    return subject


def _stated(waits: StatedWaits) -> frozenset[str]:
    """The wait keys the file states, for the placeholders that need them."""
    stated = {"cache_ttl": waits.cache_ttl, "jwks_cooldown": waits.jwks_cooldown}
    return frozenset(key for key, value in stated.items() if value is not None)


def check_expectations(
    subjects: tuple[Subject, ...], known_ids: Collection[str]
) -> tuple[Subject, ...]:
    """The subjects, after checking that each ``[expect] fail`` id is one of ``known_ids``.

    The caller knows the registered checks; reading a subject file loads none of them.
    """
    for subject in subjects:
        for check_id in sorted(subject.expect_fail):
            if check_id not in known_ids:
                raise SubjectError(
                    f"{subject.path}: expect.fail names {check_id!r}, which is no check id "
                    "(see docs/harness.md)"
                )
    return subjects


SAMPLES = ("api_jwt", "api_basic_auth", "api_local_jwt")
SAMPLE_FILE = "subject.toml"


def sample_subjects() -> tuple[Subject, ...]:
    """The sample APIs' own subject files (``<sample>/subject.toml``), those that exist."""
    found = []
    for name in SAMPLES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None:
            path = Path(spec.origin).parent / SAMPLE_FILE
            if path.is_file():
                found.append(load_subject(path))
    return tuple(found)


def chosen_subjects(
    files: Iterable[Path] = (), directories: Iterable[Path] = ()
) -> tuple[Subject, ...]:
    """The subjects named by ``--subject`` files and ``--subject-dir`` folders, in that order."""
    subjects = [load_subject(path) for path in files]
    for directory in directories:
        subjects += load_subject_dir(directory)
    return unique_names(tuple(subjects))
