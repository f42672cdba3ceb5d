"""FastAPI glue: require_token answers per RFC 6750 §3, one handler renders, logs hold no token."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from oauthkit import ApiSettings, ClientSecret, ClientSecretBasic, TokenPolicy, fingerprint
from oauthkit.fastapi import create_api, example_router

from .fakes import ISSUER, FakeIssuer, json_response

pytestmark = pytest.mark.anyio
TOKEN = "opaque-token-123"
ROLES = {"urn:zitadel:iam:org:project:roles": {"read:messages": {"o": "d"}}}
SETTINGS = ApiSettings(
    ISSUER, ClientSecret("api", "secret"), TokenPolicy(audiences=("P1",)), realm="test-api"
)


@pytest.fixture
async def api(fake_issuer: FakeIssuer) -> AsyncIterator[httpx.AsyncClient]:
    auth = ClientSecretBasic(SETTINGS.credentials)
    app = create_api(
        SETTINGS, auth, example_router, transport=fake_issuer.transport(), clock=lambda: 0.0
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_public_and_healthz_need_no_token(api: httpx.AsyncClient) -> None:
    assert (await api.get("/api/public")).status_code == 200
    assert (await api.get("/api/healthz")).json() == {"status": "ok"}


async def test_valid_token_reaches_the_private_route(
    api: httpx.AsyncClient, fake_issuer: FakeIssuer
) -> None:
    fake_issuer.introspect = lambda r: json_response(
        200, {"active": True, "aud": ["P1"], "sub": "u1"}
    )
    response = await api.get("/api/private", headers=bearer())
    assert (response.status_code, response.json()["sub"]) == (200, "u1")


async def test_role_holder_reaches_the_scoped_route(
    api: httpx.AsyncClient, fake_issuer: FakeIssuer
) -> None:
    fake_issuer.introspect = lambda r: json_response(200, {"active": True, "aud": ["P1"], **ROLES})
    assert (await api.get("/api/private-scoped", headers=bearer())).status_code == 200


async def test_rfc6750_3_1_no_credentials_get_a_bare_challenge(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/private")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == (
        'Bearer realm="test-api", resource_metadata='
        '"http://api.test/.well-known/oauth-protected-resource/api/private"'
    )
    assert "error" not in response.json()


async def test_rfc6750_3_1_missing_role_is_403_naming_the_scope(
    api: httpx.AsyncClient, fake_issuer: FakeIssuer
) -> None:
    fake_issuer.introspect = lambda r: json_response(200, {"active": True, "aud": ["P1"]})
    response = await api.get("/api/private-scoped", headers=bearer())
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert 'scope="read:messages"' in response.headers["WWW-Authenticate"]


async def test_issuer_failure_is_503_json_without_challenge(
    api: httpx.AsyncClient, fake_issuer: FakeIssuer
) -> None:
    fake_issuer.introspect = lambda r: httpx.Response(502)
    response = await api.get("/api/private", headers=bearer())
    assert response.status_code == 503
    assert response.json()["error"] == "temporarily_unavailable"
    assert "WWW-Authenticate" not in response.headers


async def test_denied_request_is_logged_once_with_reason_and_fingerprint_only(
    api: httpx.AsyncClient, fake_issuer: FakeIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    fake_issuer.introspect = lambda r: json_response(200, {"active": False})
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        response = await api.get("/api/private", headers=bearer())
    assert response.status_code == 401
    denials = [r.getMessage() for r in caplog.records if "denied" in r.getMessage()]
    assert len(denials) == 1
    assert "invalid_token" in denials[0] and fingerprint(TOKEN) in denials[0]
    assert TOKEN not in caplog.text and "secret" not in caplog.text


async def test_issuer_failure_is_logged_as_error_saying_which(
    api: httpx.AsyncClient, fake_issuer: FakeIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    fake_issuer.introspect = lambda r: json_response(400, {"error": "unauthorized_client"})
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        await api.get("/api/private", headers=bearer())
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "refused the API's own credentials" in errors[0].getMessage()


async def test_openapi_documents_the_bearer_scheme(api: httpx.AsyncClient) -> None:
    schemes = (await api.get("/openapi.json")).json()["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["scheme"] == "bearer"


async def test_route_used_without_lifespan_fails_loudly(fake_issuer: FakeIssuer) -> None:
    app = create_api(SETTINGS, ClientSecretBasic(SETTINGS.credentials), example_router)
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        with pytest.raises(RuntimeError, match="lifespan has not run"):
            await client.get("/api/private", headers=bearer())


async def test_openapi_puts_the_bearer_scheme_on_protected_operations_only(
    api: httpx.AsyncClient,
) -> None:
    paths = (await api.get("/openapi.json")).json()["paths"]
    assert paths["/api/private"]["get"]["security"] == [{"HTTPBearer": []}]
    assert paths["/api/private-scoped"]["get"]["security"] == [{"HTTPBearer": ["read:messages"]}]
    assert paths["/api/messages"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in paths["/api/public"]["get"]
    assert "security" not in paths["/api/healthz"]["get"]


async def test_a_refusal_not_logged_is_still_answered(
    api: httpx.AsyncClient, fake_issuer: FakeIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    fake_issuer.introspect = lambda r: json_response(200, {"active": False})
    with caplog.at_level(logging.WARNING, logger="oauthkit.api"):
        response = await api.get("/api/private", headers=bearer())
    assert response.status_code == 401 and "invalid_token" in response.headers["WWW-Authenticate"]
    assert not [r for r in caplog.records if r.name == "oauthkit.api"]


async def test_rfc9728_each_protected_route_has_metadata_naming_it_and_the_issuer(
    api: httpx.AsyncClient,
) -> None:
    base = "http://api.test/.well-known/oauth-protected-resource"
    scoped = (await api.get(f"{base}/api/private-scoped")).json()
    assert scoped == {
        "resource": "http://api.test/api/private-scoped",
        "authorization_servers": [SETTINGS.issuer],
        "bearer_methods_supported": ["header"],
        "scopes_supported": ["read:messages"],
        "resource_name": "test-api",
    }
    assert (await api.get(base)).json()["resource"] == "http://api.test"  # the origin
    assert (await api.get(f"{base}/api/public")).status_code == 404  # no protected resource
    assert "/.well-known" not in str((await api.get("/openapi.json")).json()["paths"])
