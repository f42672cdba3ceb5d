"""api_basic_auth: an API that checks each bearer token with the issuer, proving itself with a
client id and secret.

The API introspects every token (RFC 7662) and authenticates to the introspection endpoint with
**client_secret_basic**: `Authorization: Basic base64(urlencode(id):urlencode(secret))`, both
parts form-urlencoded first as RFC 6749 §2.3.1 requires
(https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1). Its twin, `api_jwt`, differs only in
that choice (it signs a JWT with a key instead).

It serves `GET /api/public`, `/api/private` (any valid token), `/api/private-scoped` (the role
`read:messages`) and `/api/healthz`; `oauthkit/fastapi/routes.py` lists every answer. A wrong
API_CLIENT_SECRET shows up as 503 and a log line saying the issuer refused the API's
credentials, never as a 401 blamed on the caller.

Settings (environment or `.env`): ZITADEL_DOMAIN, PROJECT_ID, API_CLIENT_ID and
API_CLIENT_SECRET (the API app's, from ZITADEL's console); optional API_AUDIENCE, ROLES_CLAIM,
API_REALM, INTROSPECTION_TIMEOUT, INTROSPECTION_CACHE_TTL. Run it with
`python -m api_basic_auth`.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from oauthkit import ApiSettings, ClientSecret, ClientSecretBasic, Clock, load_basic_api_settings
from oauthkit.fastapi import create_api, example_router

load_settings = load_basic_api_settings


def create_app(
    settings: ApiSettings[ClientSecret],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The API: the example routes, each token introspected with client_secret_basic."""
    client_auth = ClientSecretBasic(settings.credentials)
    return create_api(settings, client_auth, example_router, transport=transport, clock=clock)
