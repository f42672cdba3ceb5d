"""The placeholder values a subject's command and ``[env]`` are filled with.

Built from what the base target knows: discovery (RFC 8414 §3) for the endpoints, the API
app's settings for the credentials (written to files in the target's work folder, mode 0600),
the project, and a stand-in issuer on a closed port for the issuer-down twin.

Least privilege: a subject is a resource server, which needs its own API app's credentials and
nothing else (RFC 6749 §2.3.1: a client's credentials are its own). The ``{env_file}`` leaves
out the other API app's secret and the service users' secrets (`SERVICE_USER_VARIABLES`: their
key file, client id and secret, PAT) unless the subject file opts in with
``service_user_secrets = true``; the placeholders never give them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from harness.model.matrix import Mechanism, Mode
from harness.model.skips import config_problem
from harness.subjects.credentials import credential_values, write_private
from harness.subjects.file import Subject
from harness.subjects.instances import DownIssuer, free_port
from harness.subjects.placeholders import IssuerValues, harness_values, wait_values
from harness.targets.base import Target
from oauthkit import ConfigError, EnvSource

# What a subject's .env never holds (a data table): the service users' credentials (unless the
# subject opts in), and the API app secrets of the mechanisms it does not use.
SERVICE_USER_VARIABLES = frozenset(
    {"CLIENT_PRIVATE_KEY_FILE_PATH", "CLIENT_ID", "CLIENT_SECRET", "PERSONAL_ACCESS_TOKEN"}
)
API_APP_SECRETS = {
    Mechanism.PRIVATE_KEY_JWT: frozenset({"API_PRIVATE_KEY_FILE"}),
    Mechanism.CLIENT_SECRET_BASIC: frozenset({"API_CLIENT_SECRET"}),
}
OPT_IN_WARNING = (
    "subject {name} was given the service users' secrets in its {{env_file}} "
    "(service_user_secrets = true): a resource server needs only its own credentials"
)


def withheld(subject: Subject) -> frozenset[str]:
    """The variables of the base target's .env that the subject's ``{env_file}`` leaves out."""
    others = [names for m, names in API_APP_SECRETS.items() if m is not subject.mechanism]
    users = frozenset() if subject.service_user_secrets else SERVICE_USER_VARIABLES
    return users.union(*others)


class SubjectValues:
    """The values of one subject's placeholders, computed once (the port: per instance)."""

    def __init__(self, base: Target, subject: Subject, workdir: Path) -> None:
        self.base = base
        self.subject = subject
        self.workdir = workdir
        self._down: DownIssuer | None = None
        self._values: dict[str, str] | None = None
        self._lock = threading.Lock()  # instances start side by side: one builds the values

    def stop(self) -> None:
        """Stop the stand-in issuer, if one was started."""
        if self._down is not None:
            self._down.stop()

    def values(self, down: bool) -> Mapping[str, str]:
        """The placeholders' values for an instance (``down``: its issuer a closed port)."""
        with self._lock:
            if self._values is None:
                self._values = self._common_values()
            values = {**self._values, "port": str(free_port())}
            if down:
                values.update(self._down_values())
        return values

    def _common_values(self) -> dict[str, str]:
        metadata = self.base.issuer_calls.metadata()
        issuer = IssuerValues(
            issuer=self.base.issuer,
            introspection_endpoint=str(metadata.get("introspection_endpoint", "")),
            token_endpoint=str(metadata.get("token_endpoint", "")),
            jwks_uri=str(metadata.get("jwks_uri", "")),
            project_id=project_id(self.base),
        )
        workdir = self.workdir
        credentials = credential_values(self._api_settings(), workdir, self.base.redactor)
        return {
            **issuer.values(),
            **credentials,
            "role": self.subject.routes.role,
            **harness_values(),
            "env_file": self._env_file(workdir),
            **wait_values(self.subject.waits.cache_ttl, self.subject.waits.jwks_cooldown),
        }

    def _env_file(self, workdir: Path) -> str:
        """The base target's variables as a .env (0600): the mock's, or those of the live
        target's file; what the subject has no need of withheld (`withheld`)."""
        env: EnvSource | None = getattr(self.base, "env", None)
        if env is None:
            return ""
        names = list(env.values) if self.base.mode is Mode.MOCK else _names_in(env.env_file)
        kept = [n for n in names if n in env.values and n not in withheld(self.subject)]
        lines = [f"{n}={_quoted(env.values[n])}" for n in kept]
        return str(write_private(workdir / ".env", "\n".join(lines) + "\n"))

    def _down_values(self) -> dict[str, str]:
        if self._down is None:
            self._down = DownIssuer(self.base.issuer_calls.metadata(), self.base.issuer)
        down = self._down
        assert self._values is not None
        return {
            **IssuerValues(
                issuer=down.url,
                introspection_endpoint=down.moved(self._values["introspection_endpoint"]),
                token_endpoint=down.moved(self._values["token_endpoint"]),
                jwks_uri=down.moved(self._values["jwks_uri"]),
                project_id=self._values["project_id"],
            ).values()
        }

    def _api_settings(self) -> Any:
        """The settings of the API app for the subject's mechanism (None for local JWT)."""
        apis = getattr(self.base, "apis", None)
        mechanism = self.subject.mechanism
        if apis is None or mechanism not in (
            Mechanism.PRIVATE_KEY_JWT,
            Mechanism.CLIENT_SECRET_BASIC,
        ):
            return None
        if mechanism in apis.problems:
            raise config_problem(apis.problems[mechanism])
        if mechanism not in apis.settings:
            raise config_problem(ConfigError(f"the {mechanism} API app is not configured"))
        return apis.settings[mechanism]


def project_id(base: Target) -> str:
    """The project the tokens are for: the mock's provisioned one, or PROJECT_ID."""
    world = getattr(base, "world", None)
    if world is not None:
        return str(world.project.id)
    env = getattr(base, "env", None)
    return str(env.get("PROJECT_ID") or "") if env is not None else ""


def _names_in(env_file: Path) -> list[str]:
    return list(dotenv_values(env_file, interpolate=False)) if env_file.is_file() else []


def _quoted(value: str) -> str:
    """A double-quoted .env value (python-dotenv unescapes backslash and quote)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
