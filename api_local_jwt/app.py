"""api_local_jwt: an API that checks each bearer token itself, with the issuer's public keys.

No introspection: the API validates JWT access tokens (RFC 9068,
https://www.rfc-editor.org/rfc/rfc9068#section-4) against the keys the issuer publishes at its
`jwks_uri`, fetched once with the process's HTTP client and cached; an unknown `kid` refreshes
them at most once per JWKS_REFRESH_COOLDOWN seconds. It needs no credentials and does not ask
the issuer about each token, so it is fast and keeps working while the issuer is down, but it
cannot see a revoked token before it expires: that is the trade-off of local validation.

Each token must be signed with an accepted algorithm (RS256 by default; never `none`, never
HMAC), by the issuer (`iss` exactly ZITADEL_DOMAIN), for this API (`aud` holds PROJECT_ID or
API_CLIENT_ID), within `exp`/`nbf`, and be an access token (with `client_id` and `jti`; an ID
token is refused). A personal access token or an opaque access token is refused with 401 and a
description saying this API accepts only JWT access tokens. Roles come from the token's
`urn:zitadel:iam:org:project:{PROJECT_ID}:roles` claim (else ROLES_CLAIM): ask ZITADEL for them
with the scope `urn:zitadel:iam:org:projects:roles`, as the sample clients do.

Routes, from `oauthkit/fastapi/routes.py`, are those of `api_jwt` and `api_basic_auth`, with
the same RFC 6750 answers; when the keys cannot be fetched and the token's key is not cached,
503.

Settings (environment or `.env`): ZITADEL_DOMAIN, PROJECT_ID; optional API_CLIENT_ID,
API_AUDIENCE, ROLES_CLAIM, API_REALM, JWT_ALGORITHMS, JWT_TYP, JWT_REQUIRED_CLAIMS,
JWKS_REFRESH_COOLDOWN, JWKS_TIMEOUT, JWKS_MAX_BYTES. Run it with `python -m api_local_jwt`.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from oauthkit import ApiSettings, Clock, JwtRules, load_local_jwt_api_settings
from oauthkit.fastapi import create_local_jwt_api, example_router

load_settings = load_local_jwt_api_settings


def create_app(
    settings: ApiSettings[JwtRules],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The API: the example routes, each JWT access token validated with the issuer's keys."""
    return create_local_jwt_api(settings, example_router, transport=transport, clock=clock)
