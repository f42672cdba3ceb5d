"""Bad input never crashes the issuer: every answer is an RFC error body or inactive."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from mock_issuer import MockIssuer

from .support import client

pytestmark = pytest.mark.anyio
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ENDPOINTS = ["/oauth/v2/token", "/oauth/v2/introspect", "/oauth/v2/revoke"]

BODIES = [
    pytest.param(b"\xff\xfe\x00garbage", FORM, id="non-utf8-bytes"),
    pytest.param(b"token=%ff%fe&grant_type=%c3", FORM, id="percent-escapes-not-utf8"),
    pytest.param(b"token=a&token=b&grant_type=x&grant_type=y", FORM, id="repeated-parameters"),
    pytest.param(b"=&&==&%", FORM, id="malformed-pairs"),
    pytest.param(b'{"token": "x"}', {"Content-Type": "application/json"}, id="json-body"),
    pytest.param(b"token=x", {"Content-Type": "text/plain"}, id="wrong-content-type"),
    pytest.param(
        b"grant_type=client_credentials", {**FORM, "Authorization": "Basic %%%"}, id="bad-basic"
    ),
    pytest.param(b"&".join([b"f%d=1" % i for i in range(5000)]), FORM, id="many-fields"),
]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(("body", "headers"), BODIES)
async def test_malformed_requests_get_an_rfc_error_body_never_a_500(
    shared: MockIssuer, path: str, body: bytes, headers: dict[str, str]
) -> None:
    async with client(shared) as c:
        response = await c.post(path, content=body, headers=headers)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json()["error"], str)


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_bodies_over_one_mebibyte_are_refused_with_413(shared: MockIssuer, path: str) -> None:
    async with client(shared) as c:
        response = await c.post(path, content=b"a=" + b"x" * (3 * 1024 * 1024), headers=FORM)
    assert response.status_code == 413
    assert response.json()["error"] == "invalid_request"


async def test_an_oversized_body_without_content_length_is_refused_too(shared: MockIssuer) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536

    async with client(shared) as c:
        response = await c.post("/oauth/v2/token", content=chunks(), headers=FORM)
    assert response.status_code == 413


async def test_unknown_paths_and_methods_get_json_errors(shared: MockIssuer) -> None:
    async with client(shared) as c:
        missing = await c.get("/oauth/v2/userinfo-nope")
        wrong_method = await c.get("/oauth/v2/token")
    assert (missing.status_code, missing.json()["error"]) == (404, "invalid_request")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"


async def test_an_unexpected_failure_is_a_500_server_error_without_a_traceback(
    fresh: MockIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("boom secret-value")

    monkeypatch.setattr("mock_issuer.endpoints.introspect.resolve", explode)
    app = fresh.provision().api_basic_app
    async with client(fresh) as c:
        response = await c.post(
            "/oauth/v2/introspect",
            data={"token": "t"},
            auth=(app.client_id, app.client_secret or ""),
        )
    assert response.status_code == 500
    assert response.json() == {"error": "server_error", "error_description": "Errors.Internal"}


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/oauth/v2/token/", "/oauth/v2/token"),
        ("/oauth/v2/introspect/?x=1", "/oauth/v2/introspect?x=1"),
        ("/.well-known/openid-configuration/", "/.well-known/openid-configuration"),
    ],
)
async def test_a_trailing_slash_redirects_under_the_issuer_never_the_requests_host(
    shared: MockIssuer, path: str, target: str
) -> None:
    async with client(shared) as c:
        response = await c.get(path, headers={"Host": "evil.example:666"})
    assert response.status_code == 307
    assert response.headers["location"] == "http://issuer.test" + target
