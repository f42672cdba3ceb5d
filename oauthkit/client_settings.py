"""Settings of the service-user clients, loaded from an `EnvSource` into frozen dataclasses.

The variables are ZITADEL's examples' (CLIENT_PRIVATE_KEY_FILE_PATH, CLIENT_ID, CLIENT_SECRET,
PERSONAL_ACCESS_TOKEN); the issuer URL and the assertion settings are read as for the APIs
(`settings`). Scopes follow RFC 6749 §3.3 (https://www.rfc-editor.org/rfc/rfc6749#section-3.3);
ZITADEL gives a service user's token an audience only for
`urn:zitadel:iam:org:project:id:{id}:aud` (zitadel-spec.md §4.2), so that scope is asked for
when PROJECT_ID is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar, cast
from urllib.parse import urlsplit

from oauthkit.assertion import AssertionSettings
from oauthkit.credentials import ClientAuthMethod, ClientSecret, PersonalAccessToken
from oauthkit.env import EnvSource
from oauthkit.keyfile import ServiceAccountKey, read_service_account_key
from oauthkit.settings import assertion_settings, issuer_url

C = TypeVar("C")

PROJECTS_ROLES_SCOPE = "urn:zitadel:iam:org:projects:roles"
"""ZITADEL's scope that puts the audience projects' roles into JWT access tokens (spec §2.4)."""


def audience_scope(project_id: str) -> str:
    """ZITADEL's scope that puts a project into a token's audience."""
    return f"urn:zitadel:iam:org:project:id:{project_id}:aud"


@dataclass(frozen=True)
class ClientSettings(Generic[C]):
    """A service-user client: the issuer, its credentials and the scopes it asks for.

    `client_id` is sent along with the JWT profile grant for issuers that authenticate every
    token request (a public client, RFC 6749 §3.2.1); ZITADEL needs none. `resources` are sent
    as RFC 8707 `resource` parameters (https://www.rfc-editor.org/rfc/rfc8707#section-2), for
    issuers that set a token's audience from them (oidc-provider and others; ZITADEL uses a
    scope instead, so none by default).
    """

    issuer: str
    credentials: C
    scopes: tuple[str, ...] = ("openid", "profile")
    assertion: AssertionSettings = field(default_factory=AssertionSettings)
    timeout: float = 10.0
    warnings: tuple[str, ...] = ()
    client_id: str | None = None
    resources: tuple[str, ...] = ()


def load_jwt_client_settings(env: EnvSource) -> ClientSettings[ServiceAccountKey]:
    """service_user_jwt: the JWT profile grant, using CLIENT_PRIVATE_KEY_FILE_PATH."""
    key = env.file(
        "CLIENT_PRIVATE_KEY_FILE_PATH", "./client-key-file.json", read_service_account_key
    )
    settings = _client_settings(env, key)
    return replace(settings, client_id=env.get("JWT_PROFILE_CLIENT_ID") or None)


def load_client_credentials_settings(env: EnvSource) -> ClientSettings[ClientSecret]:
    """service_user_client_credentials: CLIENT_ID (the user name) and CLIENT_SECRET."""
    method = env.get("CLIENT_AUTH_METHOD") or "client_secret_basic"
    if method not in ("client_secret_basic", "client_secret_post"):
        raise env.error("CLIENT_AUTH_METHOD", f"is {method!r}", "client_secret_basic")
    secret = ClientSecret(
        env.require("CLIENT_ID", "my-service-user"),
        env.require("CLIENT_SECRET", "s3cr3t"),
        cast(ClientAuthMethod, method),
    )
    return _client_settings(env, secret)


def load_pat_settings(env: EnvSource) -> ClientSettings[PersonalAccessToken]:
    """service_user_pat: PERSONAL_ACCESS_TOKEN, used as is (no issuer call needed)."""
    pat = PersonalAccessToken(env.require("PERSONAL_ACCESS_TOKEN", "<the PAT from the console>"))
    issuer = (env.get("ZITADEL_DOMAIN") or "").rstrip("/")
    return ClientSettings(issuer=issuer, credentials=pat, scopes=())


def _client_settings(env: EnvSource, credentials: C) -> ClientSettings[C]:
    scopes, warnings = _scopes(env)
    return ClientSettings(
        issuer_url(env), credentials, scopes, assertion_settings(env), warnings=warnings,
        resources=_resources(env),
    )  # fmt: skip


def _resources(env: EnvSource) -> tuple[str, ...]:
    """TOKEN_RESOURCE: RFC 8707 §2 resource indicators, absolute URIs without a fragment."""
    resources = tuple((env.get("TOKEN_RESOURCE") or "").split())
    for resource in resources:
        parts = urlsplit(resource)
        if not parts.scheme or parts.fragment or "#" in resource:
            raise env.error(
                "TOKEN_RESOURCE",
                f"holds {resource!r}, not an absolute URI without a fragment (RFC 8707 §2)",
                "https://api.example.com/",
            )
    return resources


def _scopes(env: EnvSource) -> tuple[tuple[str, ...], tuple[str, ...]]:
    configured = env.get("TOKEN_SCOPES")
    if configured and configured.strip():
        return tuple(configured.split()), ()
    project_id = env.get("PROJECT_ID")
    if not project_id:
        warning = (
            "PROJECT_ID is not set, so no urn:zitadel:iam:org:project:id:<id>:aud scope is "
            "requested: ZITADEL will give a token that no API can introspect"
        )
        return ("openid", "profile"), (warning,)
    return ("openid", "profile", audience_scope(project_id), PROJECTS_ROLES_SCOPE), ()
