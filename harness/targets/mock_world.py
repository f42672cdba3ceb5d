"""The mock target's world beyond provisioning: extra users, secrets to redact, fault rules.

Split from ``mock.py`` (the target itself): what the mock issuer is asked to hold for the
checks, and how a harness fault (`IssuerFault`) becomes the mock's own fault rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.redaction import Redactor
from harness.targets.base import Holder, IssuerFault
from mock_issuer import ROLE, ApiApp, FaultKind, MockIssuer, Provisioned, ServiceUser

FAULTS: dict[IssuerFault, dict[str, Any]] = {
    IssuerFault.SLOW: {"kind": FaultKind.LATENCY},  # seconds: the target's slow_fault_s
    IssuerFault.SERVER_ERROR: {"kind": FaultKind.SERVER_ERROR, "status": 500},
    IssuerFault.MALFORMED_JSON: {"kind": FaultKind.MALFORMED_JSON},
    IssuerFault.DROP_CONNECTION: {"kind": FaultKind.DROP_CONNECTION},
}


def fault_options(
    fault: IssuerFault, world: Provisioned, slow_fault_s: float
) -> list[dict[str, Any]]:
    """The mock's fault rules that make its introspection endpoint show ``fault``."""
    if fault is IssuerFault.REJECT_CLIENT:
        apps = (world.api_jwt_app, world.api_basic_app)
        return [{"kind": FaultKind.REJECT_CLIENT, "client_id": a.client_id} for a in apps]
    if fault is IssuerFault.SLOW:
        return [{**FAULTS[fault], "seconds": slow_fault_s}]
    return [FAULTS[fault]]


def register_secrets(
    redactor: Redactor, world: Provisioned, odd_secret_app: ApiApp,
    jwt_users: dict[Holder, ServiceUser],
) -> None:  # fmt: skip
    """Every secret of the provisioned world, so nothing shown carries one."""
    for app in (world.api_jwt_app, world.api_basic_app, world.other_api_app, odd_secret_app):
        if app.client_secret:
            redactor.add_basic(app.client_id, app.client_secret)
        if app.key_file:
            redactor.add(app.key_file["key"])
    users = (world.jwt_user, world.cc_user, world.pat_user, world.norole_user)
    for user in users + tuple(jwt_users.values()):
        register_user(redactor, user)


def register_user(redactor: Redactor, user: ServiceUser) -> None:
    """A service user's secret, key and PAT, for redaction."""
    if user.client_secret:
        redactor.add_basic(user.username, user.client_secret)
    if user.key_file:
        redactor.add(user.key_file["key"])
    redactor.add(user.pat)


def jwt_format_users(issuer: MockIssuer, world: Provisioned) -> dict[Holder, ServiceUser]:
    """Service users like the provisioned ones, but issued JWT access tokens (RFC 9068)."""
    project = world.project.id
    return {
        Holder.ROLE: issuer.add_service_user(
            "jwt-format-user", roles=(ROLE,), project_id=project, access_token_type="jwt",
            with_key=True, with_secret=True,
        ),
        Holder.NO_ROLE: issuer.add_service_user(
            "jwt-format-norole-user", access_token_type="jwt", with_key=True, with_secret=True
        ),
    }  # fmt: skip


@dataclass
class Changeable:
    """A propagation subject of the mock: its token, and the changes made at the issuer."""

    token: str = field(repr=False)
    user_id: str
    project_id: str
    issuer: MockIssuer = field(repr=False)

    def revocation(self) -> None:
        """Revoke the token."""
        self.issuer.revoke_token(self.token)

    def role_removal(self) -> None:
        """Take read:messages away."""
        self.issuer.revoke_role(self.user_id, self.project_id, ROLE)

    def deactivation(self) -> None:
        """Deactivate the user."""
        self.issuer.deactivate_user(self.user_id)
