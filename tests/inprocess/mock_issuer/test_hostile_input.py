"""Input a new user's tools (or an attacker) send by accident: answered as RFC errors, not 500s."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any
from urllib.parse import quote_plus

import httpx
import pytest

from mock_issuer import MockIssuer, odd_client_secret

from .support import ASSERTION_TYPE, JWT_BEARER, aud_scope, client, introspect, user_token

pytestmark = pytest.mark.anyio
ENDPOINTS = ["/oauth/v2/token", "/oauth/v2/introspect", "/oauth/v2/revoke"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "header", [b"Basic \xff\xfe", b"Basic YWJj\xe9", "Basic dXNlcjpwYXNz\u00e9".encode("utf-8")]
)
async def test_a_basic_header_with_a_byte_outside_ascii_is_a_400(
    shared: MockIssuer, path: str, header: bytes
) -> None:
    async with client(shared) as c:
        response = await c.post(
            path,
            data={"token": "t", "grant_type": "client_credentials", "scope": "openid"},
            headers={"Authorization": header},  # type: ignore[dict-item]
        )
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_request", "invalid_client")


def _unsigned(**claims: Any) -> str:
    """An assertion whose header claims RS256 but whose signature is junk (claims come first)."""
    header = base64url(json.dumps({"alg": "RS256", "kid": "k", "typ": "JWT"}).encode())
    payload = base64url(json.dumps(claims).encode())
    return f"{header}.{payload}.c2lnbmF0dXJl"


def base64url(data: bytes) -> str:
    """RFC 7515 §2 base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize("exp", [10**400, -(10**300), float("inf"), float("nan")])
async def test_an_unsigned_assertion_with_an_absurd_exp_is_refused_not_a_500(
    shared: MockIssuer, exp: float
) -> None:
    user = shared.provision().jwt_user
    app = shared.provision().api_jwt_app
    now = int(shared.clock.now())
    subject = str(user.user_id)
    grant_assertion = _unsigned(iss=subject, sub=subject, aud=shared.issuer, iat=now, exp=exp)
    client_id = app.client_id
    client_assertion = _unsigned(iss=client_id, sub=client_id, aud=shared.issuer, iat=now, exp=exp)
    async with client(shared) as c:
        grant = await c.post(
            "/oauth/v2/token",
            data={"grant_type": JWT_BEARER, "assertion": grant_assertion, "scope": "openid"},
        )
        introspection = await c.post(
            "/oauth/v2/introspect",
            data={
                "token": "t",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": client_assertion,
            },
        )
    assert grant.status_code == 400 and grant.json()["error"] == "invalid_grant"
    assert introspection.status_code == 400
    assert introspection.json()["error"] == "unauthorized_client"


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda t: t + "==", id="padding-appended"),
        pytest.param(lambda t: t + "=", id="one-pad"),
        pytest.param(lambda t: t.replace("-", "+").replace("_", "/"), id="standard-alphabet"),
        pytest.param(lambda t: t + " ", id="trailing-space"),
    ],
)
async def test_a_jwt_access_token_altered_but_decoding_alike_is_inactive(
    fresh: MockIssuer, spoil: Any
) -> None:
    world = fresh.provision()
    user = fresh.add_service_user(
        "jwt-format", roles=["read:messages"], project_id=world.project.id,
        access_token_type="jwt", with_secret=True,
    )  # fmt: skip
    async with client(fresh) as c:
        token = await user_token(c, fresh, user, aud_scope(world.project.id))
        good = await introspect(c, fresh, world.api_basic_app, token)
        spoiled = spoil(token)
        bad = await introspect(c, fresh, world.api_basic_app, spoiled)
    assert good.json()["active"] is True
    if spoiled != token:
        assert bad.json() == {"active": False}


async def test_a_client_gone_mid_request_is_logged_in_one_line_without_a_traceback(
    shared: MockIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/oauth/v2/introspect", "raw_path": b"/oauth/v2/introspect",
        "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 2),
        "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
    }  # fmt: skip
    with caplog.at_level(logging.INFO, logger="mock_issuer"):
        await shared.app(scope, receive, send)
    records = [r for r in caplog.records if r.name.startswith("mock_issuer")]
    assert records and all(r.levelno < logging.ERROR and r.exc_info is None for r in records)
    assert "disconnected" in records[-1].getMessage()


async def test_a_request_the_client_completes_still_works(shared: MockIssuer) -> None:
    async with client(shared) as c:
        response = await c.post("/oauth/v2/introspect", data={"token": "x"})
    assert isinstance(response, httpx.Response) and response.status_code == 400


def _basic(client_id: str, secret: str, *, urlencoded: bool) -> str:
    encode = (lambda part: quote_plus(part, safe="")) if urlencoded else (lambda part: part)
    raw = f"{encode(client_id)}:{encode(secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


async def test_an_app_with_an_odd_secret_needs_the_form_urlencoded_basic_header(
    fresh: MockIssuer,
) -> None:
    secret = odd_client_secret()
    assert all(c in secret for c in ":%+ é")
    app = fresh.add_api_app(
        fresh.provision().project.id, "client_secret_basic", client_secret=secret
    )
    async with client(fresh) as c:
        answers = [
            await c.post(
                "/oauth/v2/introspect",
                data={"token": "t"},
                headers={"Authorization": _basic(app.client_id, secret, urlencoded=urlencoded)},
            )
            for urlencoded in (True, False)
        ]
    assert answers[0].status_code == 200 and answers[0].json() == {"active": False}
    assert answers[1].status_code == 400 and answers[1].json()["error"] == "unauthorized_client"
