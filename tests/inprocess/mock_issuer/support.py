"""Test helpers: sign RFC 7523 assertions with PyJWT and call the mock in-process."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import jwt

from mock_issuer import ApiApp, MockIssuer, ServiceUser

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def aud_scope(project_id: str) -> str:
    """ZITADEL's scope that puts a project in the token audience."""
    return f"urn:zitadel:iam:org:project:id:{project_id}:aud"


def sign(
    key_file: dict[str, str] | None,
    *,
    audience: Any,
    now: float,
    subject: str | None = None,
    lifetime: float = 60,
    headers: dict[str, Any] | None = None,
    **claims: Any,
) -> str:
    """An RS256 assertion from a ZITADEL key file (iss = sub = userId or clientId)."""
    assert key_file is not None, "this user or app has no key file"
    subject = subject or key_file.get("userId") or key_file["clientId"]
    body: dict[str, Any] = {
        "iss": subject,
        "sub": subject,
        "aud": audience,
        "iat": int(now),
        "exp": int(now + lifetime),
        "jti": str(uuid.uuid4()),
    }
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(
        body,
        key_file["key"],
        algorithm="RS256",
        headers={"kid": key_file["keyId"], **(headers or {})},
    )


def client(issuer: MockIssuer) -> httpx.AsyncClient:
    """An httpx client talking to the issuer's ASGI app in-process."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(issuer.app), base_url=issuer.issuer)


async def jwt_grant(c: httpx.AsyncClient, assertion: str, scope: str | None) -> httpx.Response:
    """POST the jwt-bearer grant."""
    data = {"grant_type": JWT_BEARER, "assertion": assertion}
    if scope is not None:
        data["scope"] = scope
    return await c.post("/oauth/v2/token", data=data)


async def user_token(
    c: httpx.AsyncClient, issuer: MockIssuer, user: ServiceUser, scope: str
) -> str:
    """An access token for a service user with a key (jwt-bearer) or a secret (client creds)."""
    if user.key_file:
        assertion = sign(user.key_file, audience=issuer.issuer, now=issuer.clock.now())
        response = await jwt_grant(c, assertion, scope)
    else:
        data = {"grant_type": "client_credentials", "scope": scope}
        response = await c.post(
            "/oauth/v2/token", data=data, auth=(user.username, user.client_secret or "")
        )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def introspect(
    c: httpx.AsyncClient, issuer: MockIssuer, app: ApiApp, token: str
) -> httpx.Response:
    """Introspect as the API app, with its secret (basic) or its key (private_key_jwt)."""
    if app.client_secret:
        return await c.post(
            "/oauth/v2/introspect", data={"token": token}, auth=(app.client_id, app.client_secret)
        )
    assert app.key_file is not None
    assertion = sign(app.key_file, audience=issuer.issuer, now=issuer.clock.now())
    data = {"token": token, "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
    return await c.post("/oauth/v2/introspect", data=data)
