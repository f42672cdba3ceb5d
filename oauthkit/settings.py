"""Settings of the sample APIs and clients, loaded from an `EnvSource` into frozen dataclasses.

The variables are ZITADEL's examples' (ZITADEL_DOMAIN, PROJECT_ID, API_PRIVATE_KEY_FILE, ...);
the optional ones carry what differs between issuers, with defaults fit for ZITADEL, so no
code branches on the issuer. Scopes follow RFC 6749 §3.3
(https://www.rfc-editor.org/rfc/rfc6749#section-3.3); ZITADEL gives a service user's token an
audience only for `urn:zitadel:iam:org:project:id:{id}:aud` (zitadel-spec.md §4.2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Generic, TypeVar, cast
from urllib.parse import urlsplit

from oauthkit.assertion import AssertionSettings
from oauthkit.credentials import ClientAuthMethod, ClientSecret, PersonalAccessToken
from oauthkit.env import EnvSource
from oauthkit.errors import ConfigError
from oauthkit.keyfile import (
    ApplicationKey,
    ServiceAccountKey,
    read_application_key,
    read_service_account_key,
)
from oauthkit.local_jwt import JwtRules, TypPolicy
from oauthkit.transport import DEFAULT_MAX_ANSWER_BYTES
from oauthkit.validation import ZITADEL_ROLES_CLAIM, TokenPolicy

VARIABLES = (
    *("ZITADEL_DOMAIN", "PROJECT_ID", "API_PRIVATE_KEY_FILE", "API_CLIENT_ID"),
    *("API_CLIENT_SECRET", "CLIENT_PRIVATE_KEY_FILE_PATH", "CLIENT_ID", "CLIENT_SECRET"),
    *("PERSONAL_ACCESS_TOKEN", "TOKEN_SCOPES", "CLIENT_AUTH_METHOD", "JWT_PROFILE_CLIENT_ID"),
    *("API_AUDIENCE", "ROLES_CLAIM", "API_REALM", "INTROSPECTION_TIMEOUT"),
    *("INTROSPECTION_CACHE_TTL", "CLIENT_ASSERTION_LIFETIME", "CLIENT_ASSERTION_JTI"),
    "CLIENT_ASSERTION_AUDIENCE",
    *("JWT_ALGORITHMS", "JWT_TYP", "JWT_REQUIRED_CLAIMS", "JWKS_REFRESH_COOLDOWN", "JWKS_TIMEOUT"),
    "INTROSPECTION_MAX_BYTES",
    "TOKEN_RESOURCE",
)
"""Every variable the loaders below read."""

C = TypeVar("C")
K = TypeVar("K")
ISSUER_EXAMPLE = "https://my-instance.zitadel.cloud"
PROJECT_EXAMPLE = "123456789012345678"


PROJECTS_ROLES_SCOPE = "urn:zitadel:iam:org:projects:roles"
"""ZITADEL's scope that puts the audience projects' roles into JWT access tokens (spec §2.4)."""


def audience_scope(project_id: str) -> str:
    """ZITADEL's scope that puts a project into a token's audience."""
    return f"urn:zitadel:iam:org:project:id:{project_id}:aud"


def project_roles_claim(project_id: str) -> str:
    """ZITADEL's claim holding the roles of one project."""
    return f"urn:zitadel:iam:org:project:{project_id}:roles"


@dataclass(frozen=True)
class ApiSettings(Generic[C]):
    """An API: the issuer, how it checks tokens, and what tokens it accepts.

    `credentials` are what the API checks tokens with: its own client credentials when it
    introspects, the `JwtRules` when it validates JWTs locally (no secret at all).
    """

    issuer: str
    credentials: C
    policy: TokenPolicy = field(default_factory=TokenPolicy)
    realm: str = "api"
    introspection_timeout: float = 5.0
    introspection_cache_ttl: float = 0.0
    introspection_max_bytes: int = DEFAULT_MAX_ANSWER_BYTES
    assertion: AssertionSettings = field(default_factory=AssertionSettings)
    warnings: tuple[str, ...] = ()


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


def load_jwt_api_settings(env: EnvSource, realm: str = "api_jwt") -> ApiSettings[ApplicationKey]:
    """api_jwt: introspects with private_key_jwt, using API_PRIVATE_KEY_FILE."""
    key = _key(env, "API_PRIVATE_KEY_FILE", "./api-key-file.json", read_application_key)
    return _api_settings(env, key, key.client_id, realm)


def load_basic_api_settings(
    env: EnvSource, realm: str = "api_basic_auth"
) -> ApiSettings[ClientSecret]:
    """api_basic_auth: introspects with client_secret_basic, using API_CLIENT_ID/SECRET."""
    secret = ClientSecret(
        env.require("API_CLIENT_ID", PROJECT_EXAMPLE), env.require("API_CLIENT_SECRET", "s3cr3t")
    )
    return _api_settings(env, secret, secret.client_id, realm)


def load_local_jwt_api_settings(
    env: EnvSource, realm: str = "api_local_jwt"
) -> ApiSettings[JwtRules]:
    """api_local_jwt: validates JWT access tokens with the issuer's JWKS; no credentials."""
    project_id = env.get("PROJECT_ID")
    rules = JwtRules(
        algorithms=tuple(_words(env.get("JWT_ALGORITHMS") or "RS256")),
        typ=_typ(env),
        required_claims=tuple(_words(_default(env.get("JWT_REQUIRED_CLAIMS"), "client_id jti"))),
        project_roles_claim=project_roles_claim(project_id) if project_id else None,
        jwks_refresh_cooldown=env.number("JWKS_REFRESH_COOLDOWN", 5.0, "5"),
        jwks_timeout=_positive(env, "JWKS_TIMEOUT", 5.0),
    )
    return _api_settings(env, rules, env.get("API_CLIENT_ID") or None, realm)


def load_jwt_client_settings(env: EnvSource) -> ClientSettings[ServiceAccountKey]:
    """service_user_jwt: the JWT profile grant, using CLIENT_PRIVATE_KEY_FILE_PATH."""
    key = _key(
        env, "CLIENT_PRIVATE_KEY_FILE_PATH", "./client-key-file.json", read_service_account_key
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


def _api_settings(
    env: EnvSource, credentials: C, client_id: str | None, realm: str
) -> ApiSettings[C]:
    audiences, warnings = _audiences(env, client_id)
    issuer = _issuer(env)
    roles_claim = env.get("ROLES_CLAIM") or ZITADEL_ROLES_CLAIM
    return ApiSettings(
        issuer=issuer,
        credentials=credentials,
        policy=TokenPolicy(audiences, roles_claim, issuer=issuer),
        realm=env.get("API_REALM") or realm,
        introspection_timeout=_positive(env, "INTROSPECTION_TIMEOUT", 5.0),
        introspection_cache_ttl=env.number("INTROSPECTION_CACHE_TTL", 0.0, "60"),
        introspection_max_bytes=int(
            _positive(env, "INTROSPECTION_MAX_BYTES", float(DEFAULT_MAX_ANSWER_BYTES))
        ),
        assertion=_assertion(env),
        warnings=warnings,
    )


def _client_settings(env: EnvSource, credentials: C) -> ClientSettings[C]:
    scopes, warnings = _scopes(env)
    return ClientSettings(
        _issuer(env), credentials, scopes, _assertion(env), warnings=warnings,
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


def _issuer(env: EnvSource) -> str:
    issuer = env.require("ZITADEL_DOMAIN", ISSUER_EXAMPLE).rstrip("/")
    if not issuer.startswith(("https://", "http://")):
        raise env.error("ZITADEL_DOMAIN", f"is {issuer!r}, without http(s)://", ISSUER_EXAMPLE)
    return issuer


def _audiences(env: EnvSource, client_id: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    configured = env.get("API_AUDIENCE")
    if configured is not None:
        audiences = tuple(a.strip() for a in configured.split(",") if a.strip())
        if not audiences:
            return (), ("API_AUDIENCE is empty: the audience check is off",)
        return audiences, ()
    project_id = env.get("PROJECT_ID")
    if not project_id:
        raise env.error(
            "PROJECT_ID", "is not set (nor API_AUDIENCE, which would replace it)", PROJECT_EXAMPLE
        )
    return (project_id, client_id) if client_id else (project_id,), ()


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


def _default(value: str | None, default: str) -> str:
    return default if value is None else value


def _words(value: str) -> list[str]:
    return value.replace(",", " ").split()


def _typ(env: EnvSource) -> TypPolicy:
    typ = (env.get("JWT_TYP") or "default").strip().lower()
    if typ not in ("default", "strict"):
        raise env.error("JWT_TYP", f"is {typ!r}, not default or strict", "strict")
    return cast(TypPolicy, typ)


def _assertion(env: EnvSource) -> AssertionSettings:
    return AssertionSettings(
        lifetime=int(_positive(env, "CLIENT_ASSERTION_LIFETIME", 300.0)),
        jti=env.flag("CLIENT_ASSERTION_JTI", True),
        audience=env.get("CLIENT_ASSERTION_AUDIENCE") or None,
    )


def _positive(env: EnvSource, name: str, default: float) -> float:
    value = env.number(name, default, f"{default:g}")
    if value <= 0:
        raise env.error(name, "must be more than 0", f"{default:g}")
    return value


def _key(env: EnvSource, name: str, example: str, read: Callable[[Path], K]) -> K:
    path = env.path(name, example)
    try:
        return read(path)
    except ConfigError as exc:
        raise ConfigError(f"{name}: {exc}") from None
