"""oauthkit: what an API and its service users need to use OAuth 2.0 token introspection.

One module per concept, each citing the RFC it implements:

| module | concept |
|---|---|
| `env`, `settings` | environment and `.env` → frozen settings; `ConfigError` on a bad variable |
| `keyfile` | ZITADEL key files (`application`, `serviceaccount`) |
| `assertion` | RFC 7523 JWTs for client authentication and for the grant |
| `discovery` | OpenID Connect Discovery 1.0 / RFC 8414 metadata |
| `grants` | JWT profile, client credentials and PAT, with token reuse |
| `introspection` | the RFC 7662 client (private_key_jwt, client_secret_basic) |
| `validation` | pure checks of an introspection response → `Principal` |
| `bearer` | RFC 6750 `Authorization` parsing and `WWW-Authenticate` challenges |
| `errors` | the error hierarchy; every error renders itself |
| `fastapi` | `require_token(roles=...)` and the one exception handler |
| `messages` | the example routes both sample APIs serve |
| `cli`, `serve` | the command lines of the service-user clients and of the APIs |

Library code never reads the process environment; entry points (`__main__`) do and pass
settings objects in.
"""
