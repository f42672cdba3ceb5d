"""The facade's resources part: projects, apps, service users, keys, roles, PATs (spec §4-6).

A mixin of :class:`mock_issuer.issuer.MockIssuer`, as ZITADEL's management API would create
them; every call goes through :mod:`mock_issuer.admin`. Expiry dates may lie in the past
(ZITADEL refuses that; tests find it handy).
"""

from __future__ import annotations

from collections.abc import Iterable

from mock_issuer import admin, tokens
from mock_issuer.instance import Instance
from mock_issuer.keys import KeyFile
from mock_issuer.model import AccessTokenType, ApiApp, AppAuthMethod, Project, ServiceUser


class Resources:
    """Create and change what the issuer knows: ``add_*``, roles, PATs, revocation, users."""

    _instance: Instance

    def add_project(self, name: str, roles: Iterable[str] = ("read:messages",)) -> Project:
        """A new project with these role keys."""
        return admin.add_project(self._instance, name, roles)

    def add_api_app(
        self,
        project_id: str,
        auth: AppAuthMethod = "private_key_jwt",
        key_expires_at: float | None = None,
        client_secret: str | None = None,
    ) -> ApiApp:
        """A new API app: a key file (``private_key_jwt``) or a secret (``client_secret_basic``).

        ``client_secret`` sets the secret, e.g. ``odd_client_secret()`` (``:%+ é``) to catch
        clients that do not form-urlencode it in the Basic header (RFC 6749 §2.3.1).
        """
        return admin.add_api_app(self._instance, project_id, auth, key_expires_at, client_secret)

    def add_app_key(self, client_id: str, expires_at: float | None = None) -> KeyFile:
        """An extra key for an API app; returns its key file."""
        return admin.add_app_key(self._instance, client_id, expires_at)

    def add_service_user(
        self,
        username: str,
        *,
        roles: Iterable[str] = (),
        project_id: str | None = None,
        access_token_type: AccessTokenType = "bearer",
        with_key: bool = False,
        with_secret: bool = False,
        with_pat: bool = False,
        key_expires_at: float | None = None,
        pat_expires_at: float | None = None,
    ) -> ServiceUser:
        """A new service user with the credentials asked for and ``roles`` in ``project_id``."""
        roles = tuple(roles)
        if roles and project_id is None:
            raise ValueError("roles= needs project_id= (the project the roles belong to).")
        record = admin.add_user(self._instance, username, access_token_type)
        for role in roles:
            admin.grant_role(self._instance, record.user_id, str(project_id), role)
        key_file = (
            admin.add_user_key(self._instance, record.user_id, key_expires_at) if with_key else None
        )
        secret = admin.set_user_secret(self._instance, record.user_id) if with_secret else None
        pat = self.issue_pat(record.user_id, pat_expires_at) if with_pat else None
        return admin.service_user_view(record, key_file, secret, pat)

    def add_user_key(self, user_id: str, expires_at: float | None = None) -> KeyFile:
        """An extra key for a service user; returns its key file."""
        return admin.add_user_key(self._instance, user_id, expires_at)

    def grant_role(self, user_id: str, project_id: str, role: str) -> None:
        """Grant a project role; introspection shows it at once."""
        admin.grant_role(self._instance, user_id, project_id, role)

    def revoke_role(self, user_id: str, project_id: str, role: str) -> None:
        """Take a project role away."""
        admin.revoke_role(self._instance, user_id, project_id, role)

    def issue_pat(self, user_id: str, expires_at: float | None = None) -> str:
        """A new personal access token for a service user."""
        admin.user(self._instance, user_id)
        return tokens.issue_pat(self._instance, user_id, expires_at)

    def revoke_token(self, token: str) -> bool:
        """Revoke an access token or PAT, as ``POST /oauth/v2/revoke`` does."""
        return tokens.revoke(self._instance, token)

    def deactivate_user(self, user_id: str) -> None:
        """Deactivate a service user: no new tokens, its tokens introspect as inactive."""
        admin.set_active(self._instance, user_id, False)

    def reactivate_user(self, user_id: str) -> None:
        """Undo :meth:`deactivate_user`."""
        admin.set_active(self._instance, user_id, True)
