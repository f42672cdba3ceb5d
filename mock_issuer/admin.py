"""Creating the mock's resources, as ZITADEL's management API would (spec §4, §5, §6).

Projects with roles, API apps with a key or a secret, service users with keys, secrets and PATs,
role grants. Keys and secrets are made here and handed back once; the store keeps public keys
and secret digests only. Errors say what is wrong and what to pass instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from mock_issuer.credentials import SecretDigest, new_client_secret
from mock_issuer.instance import Instance
from mock_issuer.keys import (
    KeyFile,
    application_key_file,
    service_account_key_file,
)
from mock_issuer.model import (
    NO_EXPIRY,
    AccessTokenType,
    ApiApp,
    AppAuthMethod,
    AppRecord,
    Project,
    PublicKey,
    ServiceUser,
    UserRecord,
)


def add_project(
    instance: Instance, name: str, roles: Iterable[str] = ("read:messages",)
) -> Project:
    """A new project with the given role keys."""
    project = Project(id=instance.store.new_id(), name=name, roles=tuple(dict.fromkeys(roles)))
    instance.store.add_project(project)
    return project


def project(instance: Instance, project_id: str) -> Project:
    """The project ``project_id``, or a ValueError naming the known ones."""
    found = instance.store.project(project_id)
    if found is None:
        known = instance.store.project_ids()
        raise ValueError(f"Unknown project id {project_id!r}; known projects: {known}.")
    return found


def _expiry(expires_at: float | None) -> float:
    return NO_EXPIRY if expires_at is None else expires_at


def add_api_app(
    instance: Instance,
    project_id: str,
    auth: AppAuthMethod = "private_key_jwt",
    key_expires_at: float | None = None,
    client_secret: str | None = None,
) -> ApiApp:
    """A new API app of a project; with a key file (private_key_jwt) or a secret (basic).

    ``client_secret`` chooses the secret (e.g. `odd_client_secret`) instead of a random one.
    """
    project(instance, project_id)
    app_id = instance.store.new_id()
    record = AppRecord(
        app_id, client_id=instance.store.new_id(), project_id=project_id, auth_method=auth
    )
    secret = key_file = None
    if auth == "client_secret_basic":
        secret = client_secret or new_client_secret()
        instance.store.set_secret(record, SecretDigest.of(secret))
    elif auth == "private_key_jwt":
        key_file = _add_key(instance, record.keys, key_expires_at, app=record)
    else:
        raise ValueError(f"auth must be 'private_key_jwt' or 'client_secret_basic', got {auth!r}.")
    instance.store.add_app(record)
    return ApiApp(app_id, record.client_id, project_id, auth, secret, key_file)


def _add_key(
    instance: Instance,
    keys: list[PublicKey],
    expires_at: float | None,
    *,
    app: AppRecord | None = None,
    user_id: str | None = None,
) -> KeyFile:
    private = instance.key_pool.take()
    key_id = instance.store.new_id()
    instance.store.add_key(keys, PublicKey(key_id, private.public_key(), _expiry(expires_at)))
    if app is not None:
        return application_key_file(key_id, private, app.app_id, app.client_id)
    assert user_id is not None
    return service_account_key_file(key_id, private, user_id)


def add_app_key(instance: Instance, client_id: str, expires_at: float | None = None) -> KeyFile:
    """Another key for an API app (e.g. to test rotation or expiry); returns its key file."""
    app = instance.store.app(client_id)
    if app is None:
        raise ValueError(f"Unknown API app client_id {client_id!r}.")
    return _add_key(instance, app.keys, expires_at, app=app)


def user(instance: Instance, user_id: str) -> UserRecord:
    """The service user ``user_id``, or a ValueError."""
    found = instance.store.user(user_id)
    if found is None:
        raise ValueError(f"Unknown service user id {user_id!r}.")
    return found


def add_user_key(instance: Instance, user_id: str, expires_at: float | None = None) -> KeyFile:
    """Another key for a service user; returns its key file."""
    record = user(instance, user_id)
    return _add_key(instance, record.keys, expires_at, user_id=user_id)


def add_user(instance: Instance, username: str, access_token_type: AccessTokenType) -> UserRecord:
    """A new service user without credentials, in the instance's organisation."""
    if access_token_type not in ("bearer", "jwt"):
        raise ValueError(f"access_token_type must be 'bearer' or 'jwt', got {access_token_type!r}.")
    record = UserRecord(
        user_id=instance.store.new_id(),
        username=username,
        name=username,
        org_id=instance.org.id,
        access_token_type=access_token_type,
        updated_at=float(int(instance.now())),
    )
    instance.store.add_user(record)
    return record


def set_user_secret(instance: Instance, user_id: str) -> str:
    """Give a service user a (new) client secret; returns it."""
    secret = new_client_secret()
    record = user(instance, user_id)
    instance.store.set_secret(record, SecretDigest.of(secret))
    return secret


def grant_role(instance: Instance, user_id: str, project_id: str, role: str) -> None:
    """Grant a project role to a service user (takes effect at the next introspection)."""
    found = project(instance, project_id)
    if role not in found.roles:
        raise ValueError(f"Project {project_id!r} has no role {role!r}; its roles: {found.roles}.")
    record = user(instance, user_id)
    instance.store.grant_role(record, project_id, role)


def revoke_role(instance: Instance, user_id: str, project_id: str, role: str) -> None:
    """Take a project role away from a service user (no error if it was not granted)."""
    record = user(instance, user_id)
    instance.store.revoke_role(record, project_id, role)


def set_active(instance: Instance, user_id: str, active: bool) -> None:
    """(De)activate a service user; tokens of inactive users introspect as inactive."""
    record = user(instance, user_id)
    instance.store.set_active(record, active)


def service_user_view(
    record: UserRecord, key_file: KeyFile | None, secret: str | None, pat: str | None
) -> ServiceUser:
    """The once-only view of a freshly created service user."""
    return ServiceUser(
        record.user_id, record.username, record.access_token_type, key_file, secret, pat
    )
