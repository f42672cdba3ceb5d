"""oauthkit: what an API and its service users need to use OAuth 2.0 access tokens, checked by
token introspection or validated locally as JWTs.

One module per concept, each citing the RFC it implements:

| module | concept |
|---|---|
| `env`, `settings` | environment and `.env` → frozen settings; `ConfigError` on a bad variable |
| `credentials`, `clock` | secrets kept out of `repr`, fingerprints for logs; the injectable clock |
| `keyfile` | ZITADEL key files (`application`, `serviceaccount`) |
| `assertion` | RFC 7523 JWTs for client authentication and for the grant |
| `transport`, `discovery` | HTTP to the issuer with timeouts; RFC 8414 / OIDC discovery |
| `aiohttp_transport` | the APIs' default transport: aiohttp under httpx's API |
| `grants`, `token_response` | JWT profile, client credentials and PAT, token reuse; RFC 6749 §5 |
| `introspection`, `introspection_cache` | the RFC 7662 client; its cache bounded by `exp` |
| `validation` | pure checks of an introspection response → `Principal` |
| `jwks`, `local_jwt` | the issuer's cached keys (RFC 7517); local JWT validation (RFC 9068 §4) |
| `bearer` | RFC 6750 `Authorization` parsing and `WWW-Authenticate` challenges |
| `errors` | the error hierarchy; every error renders itself |
| `fastapi` | `require_token(roles=...)`, the one exception handler, the apps' lifespan |
| `bearer_docs` | the bearer scheme in the OpenAPI document, with no per-request cost |
| `messages` | the example routes every sample API serves |
| `cli`, `serve` | the command lines of the service-user clients and of the APIs |

Library code never reads the process environment; entry points (`__main__`) do and pass
settings objects in.
"""

__version__ = "0.1.0"
"""The distribution's version (pyproject reads it from here; mock_issuer keeps the same)."""
