"""oauthkit: what an API and its service users need to use OAuth 2.0 access tokens, checked by
token introspection or validated locally as JWTs.

One module per concept, each citing the RFC it implements; the names below are its public API
(`__all__`), and code outside oauthkit imports only these, or those of the two sub-packages:

| module | concept |
|---|---|
| `errors` | the error hierarchy; every error an API answers with renders itself |
| `env`, `settings`, `client_settings` | environment and `.env` → the APIs' and clients' settings |
| `credentials`, `clock` | secrets kept out of `repr`, fingerprints for logs; the clock |
| `keyfile`, `assertion` | ZITADEL key files; RFC 7523 JWTs for client auth and the grant |
| `fetch`, `transport` | one capped, deadlined fetch from the issuer; its failures named |
| `aiohttp_transport` | the APIs' transport: aiohttp under httpx's API, errors as httpx's |
| `strict_json` | the issuer's JSON read strictly (RFC 8259) |
| `discovery` | RFC 8414 / OpenID Connect discovery |
| `grants`, `token_response` | JWT profile, client credentials, PAT, token reuse; RFC 6749 §5 |
| `client_auth` | how an API authenticates to introspection (private_key_jwt, Basic) |
| `introspection`, `introspection_cache` | the RFC 7662 client; its cache bounded by `exp` |
| `validation` | pure checks of an introspection response → `Principal` |
| `jwks`, `local_jwt` | the issuer's cached keys (RFC 7517); local JWT validation (RFC 9068) |
| `bearer` | RFC 6750 `Authorization` parsing |

The application glue lives in sub-packages of its own: `oauthkit.fastapi` (the sample APIs as
FastAPI apps, `require_token`, the example routes, the APIs' command line) and
`oauthkit.commands` (the service-user clients' command line and what every command shares).

Library code never reads the process environment; entry points (`__main__`) do and pass
settings objects in.
"""

from oauthkit.assertion import AssertionSettings, client_assertion, grant_assertion
from oauthkit.bearer import parse_authorization, parse_request
from oauthkit.client_auth import ClientAuth, ClientSecretBasic, PrivateKeyJwt
from oauthkit.client_settings import (
    ClientSettings,
    audience_scope,
    load_client_credentials_settings,
    load_jwt_client_settings,
    load_pat_settings,
)
from oauthkit.clock import Clock, system_clock
from oauthkit.credentials import (
    ClientSecret,
    PersonalAccessToken,
    basic_authorization,
    digest,
    digest_fingerprint,
    fingerprint,
    short_digest,
)
from oauthkit.discovery import Discovery, ProviderMetadata, discovery_url, fetch_metadata
from oauthkit.env import EnvSource
from oauthkit.errors import (
    ConfigError,
    GrantError,
    InsufficientScope,
    InvalidRequest,
    InvalidToken,
    IssuerError,
    IssuerFailed,
    IssuerRejectedClient,
    IssuerUnreachable,
    MissingToken,
    OAuthKitError,
    ResourceError,
)
from oauthkit.fetch import FetchLimits
from oauthkit.grants import (
    BearerAuth,
    ClientCredentialsGrant,
    GrantKind,
    JwtProfileGrant,
    PatGrant,
    TokenSource,
)
from oauthkit.introspection import IntrospectionResponse, Introspector
from oauthkit.introspection_cache import IntrospectionCache
from oauthkit.jwks import JwksCache, PublicKey
from oauthkit.keyfile import (
    ApplicationKey,
    ServiceAccountKey,
    parse_key_file,
    read_application_key,
    read_key_file,
    read_service_account_key,
)
from oauthkit.local_jwt import JwtRules, LocalJwtValidator
from oauthkit.settings import (
    VARIABLES,
    ApiSettings,
    load_basic_api_settings,
    load_jwt_api_settings,
    load_local_jwt_api_settings,
)
from oauthkit.token_response import AccessToken
from oauthkit.transport import issuer_client
from oauthkit.validation import (
    ZITADEL_ROLES_CLAIM,
    Principal,
    TokenPolicy,
    require_roles,
    validate,
)

__version__ = "0.1.0"
"""The distribution's version (pyproject reads it from here; mock_issuer keeps the same)."""

__all__ = [
    "VARIABLES",
    "ZITADEL_ROLES_CLAIM",
    "AccessToken",
    "ApiSettings",
    "ApplicationKey",
    "AssertionSettings",
    "BearerAuth",
    "ClientAuth",
    "ClientCredentialsGrant",
    "ClientSecret",
    "ClientSecretBasic",
    "ClientSettings",
    "Clock",
    "ConfigError",
    "Discovery",
    "EnvSource",
    "FetchLimits",
    "GrantError",
    "GrantKind",
    "InsufficientScope",
    "IntrospectionCache",
    "IntrospectionResponse",
    "Introspector",
    "InvalidRequest",
    "InvalidToken",
    "IssuerError",
    "IssuerFailed",
    "IssuerRejectedClient",
    "IssuerUnreachable",
    "JwksCache",
    "JwtProfileGrant",
    "JwtRules",
    "LocalJwtValidator",
    "MissingToken",
    "OAuthKitError",
    "PatGrant",
    "PersonalAccessToken",
    "Principal",
    "PrivateKeyJwt",
    "ProviderMetadata",
    "PublicKey",
    "ResourceError",
    "ServiceAccountKey",
    "TokenPolicy",
    "TokenSource",
    "__version__",
    "audience_scope",
    "basic_authorization",
    "client_assertion",
    "digest",
    "digest_fingerprint",
    "discovery_url",
    "fetch_metadata",
    "fingerprint",
    "grant_assertion",
    "issuer_client",
    "load_basic_api_settings",
    "load_client_credentials_settings",
    "load_jwt_api_settings",
    "load_jwt_client_settings",
    "load_local_jwt_api_settings",
    "load_pat_settings",
    "parse_authorization",
    "parse_key_file",
    "parse_request",
    "read_application_key",
    "read_key_file",
    "read_service_account_key",
    "require_roles",
    "short_digest",
    "system_clock",
    "validate",
]
