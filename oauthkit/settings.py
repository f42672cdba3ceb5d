"""Settings of the sample APIs, loaded from an `EnvSource` into frozen dataclasses.

The variables are ZITADEL's examples' (ZITADEL_DOMAIN, PROJECT_ID, API_PRIVATE_KEY_FILE, ...);
the optional ones carry what differs between issuers, with defaults fit for ZITADEL, so no
code branches on the issuer. The service-user clients' settings are in `client_settings`, and
share the issuer URL and the assertion settings read here. An API accepts tokens whose audience
(RFC 7519 §4.1.3, https://www.rfc-editor.org/rfc/rfc7519#section-4.1.3) holds its project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

from oauthkit.assertion import AssertionSettings
from oauthkit.credentials import ClientSecret
from oauthkit.env import EnvSource
from oauthkit.fetch import DEFAULT_MAX_ANSWER_BYTES
from oauthkit.keyfile import ApplicationKey, read_application_key
from oauthkit.local_jwt import JwtRules, TypPolicy
from oauthkit.validation import ZITADEL_ROLES_CLAIM, TokenPolicy

VARIABLES = (
    *("ZITADEL_DOMAIN", "PROJECT_ID", "API_PRIVATE_KEY_FILE", "API_CLIENT_ID"),
    *("API_CLIENT_SECRET", "CLIENT_PRIVATE_KEY_FILE_PATH", "CLIENT_ID", "CLIENT_SECRET"),
    *("PERSONAL_ACCESS_TOKEN", "TOKEN_SCOPES", "CLIENT_AUTH_METHOD", "JWT_PROFILE_CLIENT_ID"),
    *("API_AUDIENCE", "ROLES_CLAIM", "API_REALM", "INTROSPECTION_TIMEOUT"),
    *("INTROSPECTION_CACHE_TTL", "CLIENT_ASSERTION_LIFETIME", "CLIENT_ASSERTION_JTI"),
    "CLIENT_ASSERTION_AUDIENCE",
    *("JWT_ALGORITHMS", "JWT_TYP", "JWT_REQUIRED_CLAIMS", "JWKS_REFRESH_COOLDOWN", "JWKS_TIMEOUT"),
    *("INTROSPECTION_MAX_BYTES", "JWKS_MAX_BYTES"),
    "TOKEN_RESOURCE",
)
"""Every variable the loaders of the APIs (here) and of the clients (`client_settings`) read."""

C = TypeVar("C")
ISSUER_EXAMPLE = "https://my-instance.zitadel.cloud"
PROJECT_EXAMPLE = "123456789012345678"


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


def load_jwt_api_settings(env: EnvSource, realm: str = "api_jwt") -> ApiSettings[ApplicationKey]:
    """api_jwt: introspects with private_key_jwt, using API_PRIVATE_KEY_FILE."""
    key = env.file("API_PRIVATE_KEY_FILE", "./api-key-file.json", read_application_key)
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
    return _api_settings(env, _jwt_rules(env), env.get("API_CLIENT_ID") or None, realm)


def issuer_url(env: EnvSource) -> str:
    """ZITADEL_DOMAIN: the issuer URL, with its scheme, without a trailing slash."""
    issuer = env.require("ZITADEL_DOMAIN", ISSUER_EXAMPLE).rstrip("/")
    if not issuer.startswith(("https://", "http://")):
        raise env.error("ZITADEL_DOMAIN", f"is {issuer!r}, without http(s)://", ISSUER_EXAMPLE)
    return issuer


def assertion_settings(env: EnvSource) -> AssertionSettings:
    """CLIENT_ASSERTION_LIFETIME, _JTI and _AUDIENCE: how RFC 7523 assertions are made."""
    return AssertionSettings(
        lifetime=int(env.positive("CLIENT_ASSERTION_LIFETIME", 300.0)),
        jti=env.flag("CLIENT_ASSERTION_JTI", True),
        audience=env.get("CLIENT_ASSERTION_AUDIENCE") or None,
    )


def _api_settings(
    env: EnvSource, credentials: C, client_id: str | None, realm: str
) -> ApiSettings[C]:
    audiences, warnings = _audiences(env, client_id)
    issuer = issuer_url(env)
    roles_claim = env.get("ROLES_CLAIM") or ZITADEL_ROLES_CLAIM
    return ApiSettings(
        issuer=issuer,
        credentials=credentials,
        policy=TokenPolicy(
            audiences, roles_claim, issuer=issuer, project_roles_claim=_project_claim(env)
        ),
        realm=env.get("API_REALM") or realm,
        introspection_timeout=env.positive("INTROSPECTION_TIMEOUT", 5.0),
        introspection_cache_ttl=env.number("INTROSPECTION_CACHE_TTL", 0.0, "60"),
        introspection_max_bytes=int(
            env.positive("INTROSPECTION_MAX_BYTES", float(DEFAULT_MAX_ANSWER_BYTES))
        ),
        assertion=assertion_settings(env),
        warnings=warnings,
    )


def _project_claim(env: EnvSource) -> str | None:
    project_id = env.get("PROJECT_ID")
    return project_roles_claim(project_id) if project_id else None


def _jwt_rules(env: EnvSource) -> JwtRules:
    required = env.get("JWT_REQUIRED_CLAIMS")
    return JwtRules(
        algorithms=tuple(_words(env.get("JWT_ALGORITHMS") or "RS256")),
        typ=_typ(env),
        required_claims=tuple(_words("client_id jti" if required is None else required)),
        project_roles_claim=_project_claim(env),
        jwks_refresh_cooldown=env.number("JWKS_REFRESH_COOLDOWN", 5.0, "5"),
        jwks_timeout=env.positive("JWKS_TIMEOUT", 5.0),
        jwks_max_bytes=int(env.positive("JWKS_MAX_BYTES", float(DEFAULT_MAX_ANSWER_BYTES))),
    )


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


def _words(value: str) -> list[str]:
    return value.replace(",", " ").split()


def _typ(env: EnvSource) -> TypPolicy:
    typ = (env.get("JWT_TYP") or "default").strip().lower()
    if typ not in ("default", "strict"):
        raise env.error("JWT_TYP", f"is {typ!r}, not default or strict", "strict")
    return cast(TypPolicy, typ)
