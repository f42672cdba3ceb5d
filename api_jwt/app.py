"""api_jwt: an API that checks each bearer token with the issuer, proving itself with a key.

The API introspects every token (RFC 7662) and authenticates to the introspection endpoint with
**private_key_jwt**: a short-lived JWT signed with its API app's key file (RFC 7523 §2.2,
https://www.rfc-editor.org/rfc/rfc7523#section-2.2), with a fresh `jti` each time. No secret
travels. Its twin, `api_basic_auth`, differs only in that choice.

Routes, from `oauthkit/fastapi/routes.py` (which lists every answer): `GET /api/public` and
`/api/healthz` for anyone, `/api/private` for any valid token, `/api/private-scoped` for a token
whose user holds the role `read:messages`. The assertion lives 5 minutes and names this app as
iss and sub; an expired or deleted key shows up as 503 with a log line, not as a 401.

Settings (environment or `.env`): ZITADEL_DOMAIN, PROJECT_ID, API_PRIVATE_KEY_FILE (the API
app's key file, `"type": "application"`); optional API_AUDIENCE, ROLES_CLAIM, API_REALM,
INTROSPECTION_TIMEOUT, INTROSPECTION_CACHE_TTL, CLIENT_ASSERTION_LIFETIME,
CLIENT_ASSERTION_JTI, CLIENT_ASSERTION_AUDIENCE. Run it with `python -m api_jwt`.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from oauthkit import ApiSettings, ApplicationKey, Clock, PrivateKeyJwt, load_jwt_api_settings
from oauthkit.fastapi import create_api, example_router

load_settings = load_jwt_api_settings


def create_app(
    settings: ApiSettings[ApplicationKey],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The API: the example routes, each token introspected with private_key_jwt."""
    client_auth = PrivateKeyJwt(settings.credentials, settings.assertion)
    return create_api(settings, client_auth, example_router, transport=transport, clock=clock)
