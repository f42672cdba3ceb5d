"""A ready-made world for the samples and the harness, and its ``.env`` (RFC 7523, RFC 7662).

One organisation, the project ``API project`` with the role ``read:messages``, an API app with
a key and one with a secret, service users for each grant (three holding the role, one without),
and a second project with its own basic-auth app, so "introspected by another project's app"
can be tested. ``write_env`` writes the variables ZITADEL's examples read; for a world whose
service users get JWT access tokens, also what the harness's live mode needs to know about them
(``INTROSPECT_JWT_ACCESS_TOKENS=true`` and the scopes of another project's audience).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mock_issuer.model import AccessTokenType, ApiApp, AppAuthMethod, Org, Project, ServiceUser
from mock_issuer.scopes import AUDIENCE_PREFIX, AUDIENCE_SUFFIX

ROLE = "read:messages"
API_KEY_FILE = "api-key-file.json"
CLIENT_KEY_FILE = "client-key-file.json"


@dataclass(frozen=True)
class Provisioned:
    """Everything ``provision()`` made; secrets stay out of ``repr``."""

    issuer: str
    org: Org
    project: Project
    other_project: Project
    api_jwt_app: ApiApp
    api_basic_app: ApiApp
    other_api_app: ApiApp
    jwt_user: ServiceUser
    cc_user: ServiceUser
    pat_user: ServiceUser
    norole_user: ServiceUser
    access_token_type: AccessTokenType = "bearer"

    def with_issuer(self, issuer: str) -> Provisioned:
        """The same world under another issuer URL (after ``start()`` picked a port)."""
        return self if issuer == self.issuer else dataclasses.replace(self, issuer=issuer)

    def env(self, directory: Path) -> dict[str, str]:
        """The variables of ``.env``, key-file paths absolute under ``directory``."""
        base = directory.resolve()
        return {
            "ZITADEL_DOMAIN": self.issuer,
            "PROJECT_ID": self.project.id,
            "API_PRIVATE_KEY_FILE": str(base / API_KEY_FILE),
            "API_CLIENT_ID": self.api_basic_app.client_id,
            "API_CLIENT_SECRET": self.api_basic_app.client_secret or "",
            "CLIENT_PRIVATE_KEY_FILE_PATH": str(base / CLIENT_KEY_FILE),
            "CLIENT_ID": self.cc_user.username,
            "CLIENT_SECRET": self.cc_user.client_secret or "",
            "PERSONAL_ACCESS_TOKEN": self.pat_user.pat or "",
            "EXPECTED_ROLES_JWT_PROFILE": ROLE,
            "EXPECTED_ROLES_CLIENT_CREDENTIALS": ROLE,
            "EXPECTED_ROLES_PAT": ROLE,
            "OTHER_AUDIENCE_SCOPES": f"openid {audience_scope(self.other_project.id)}",
        } | self._jwt_env()

    def _jwt_env(self) -> dict[str, str]:
        if self.access_token_type != "jwt":
            return {}
        return {
            "INTROSPECT_JWT_ACCESS_TOKENS": "true",
        }

    def write_env(self, directory: Path) -> Path:
        """Write ``directory/.env`` and both key files (mode 0600); return the ``.env`` path."""
        directory.mkdir(parents=True, exist_ok=True)
        _write_private(directory / API_KEY_FILE, json.dumps(self.api_jwt_app.key_file, indent=2))
        _write_private(directory / CLIENT_KEY_FILE, json.dumps(self.jwt_user.key_file, indent=2))
        lines = [
            "# Written by `python -m mock_issuer`: credentials of a throw-away mock.",
            *(f"{name}={_quote(value)}" for name, value in self.env(directory).items()),
        ]
        env_path = directory / ".env"
        _write_private(env_path, "\n".join(lines) + "\n")
        return env_path


_PLAIN = re.compile(r"[A-Za-z0-9_./:@,+=-]*")


def audience_scope(project_id: str) -> str:
    """ZITADEL's scope that puts a project into a token's audience."""
    return f"{AUDIENCE_PREFIX}{project_id}{AUDIENCE_SUFFIX}"


def _quote(value: str) -> str:
    """A `.env` value that python-dotenv reads back exactly.

    Plain where possible; else single quotes, read literally by a shell (`set -a; . ./.env`)
    and by python-dotenv alike; a value holding a quote or a backslash goes in double quotes
    with both escaped (python-dotenv's rules; a shell agrees unless it also holds `$` or `).
    """
    if _PLAIN.fullmatch(value):
        return value
    if "'" not in value and "\\" not in value and "\n" not in value:
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


class Provisioner(Protocol):
    """The part of :class:`mock_issuer.MockIssuer` that ``provision`` uses."""

    @property
    def issuer(self) -> str: ...

    @property
    def org(self) -> Org: ...

    def add_project(self, name: str, roles: Iterable[str] = ...) -> Project: ...

    def add_api_app(self, project_id: str, auth: AppAuthMethod = ...) -> ApiApp: ...

    def add_service_user(
        self,
        username: str,
        *,
        roles: Iterable[str] = ...,
        project_id: str | None = ...,
        access_token_type: AccessTokenType = ...,
        with_key: bool = ...,
        with_secret: bool = ...,
        with_pat: bool = ...,
    ) -> ServiceUser: ...


def provision(issuer: Provisioner, access_token_type: AccessTokenType = "bearer") -> Provisioned:
    """Create the world described in the module docstring on ``issuer``."""
    project = issuer.add_project("API project", roles=(ROLE,))
    other = issuer.add_project("Other project", roles=(ROLE,))
    add_user = issuer.add_service_user
    kind = access_token_type
    return Provisioned(
        issuer=issuer.issuer,
        org=issuer.org,
        project=project,
        other_project=other,
        api_jwt_app=issuer.add_api_app(project.id, "private_key_jwt"),
        api_basic_app=issuer.add_api_app(project.id, "client_secret_basic"),
        other_api_app=issuer.add_api_app(other.id, "client_secret_basic"),
        jwt_user=add_user(
            "jwt-user", roles=[ROLE], project_id=project.id, access_token_type=kind, with_key=True
        ),
        cc_user=add_user(
            "cc-user", roles=[ROLE], project_id=project.id, access_token_type=kind, with_secret=True
        ),
        pat_user=add_user(
            "pat-user", roles=[ROLE], project_id=project.id, access_token_type=kind, with_pat=True
        ),
        norole_user=add_user(
            "norole-user", access_token_type=kind, with_key=True, with_secret=True, with_pat=True
        ),
        access_token_type=kind,
    )
