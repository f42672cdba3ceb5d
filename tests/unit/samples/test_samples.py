"""The five samples: each wires the grant or client authentication it claims, and nothing else."""

from __future__ import annotations

import runpy
from urllib.parse import parse_qsl

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

import api_basic_auth.app
import api_jwt.app
from oauthkit import ApiSettings, ApplicationKey, ClientSecret, TokenPolicy

ISSUER = "http://issuer.test"
ROUTES = {"/api/public", "/api/private", "/api/private-scoped", "/api/messages", "/api/healthz"}


def app_key() -> ApplicationKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ApplicationKey(key_id="k1", private_key=key, app_id="a1", client_id="jwt-client")


def build(name: str, transport: httpx.AsyncBaseTransport) -> FastAPI:
    policy = TokenPolicy(audiences=("P1",))
    if name == "api_jwt":
        settings_jwt = ApiSettings(ISSUER, app_key(), policy, realm=name)
        return api_jwt.app.create_app(settings_jwt, transport=transport)
    settings_basic = ApiSettings(ISSUER, ClientSecret("basic-client", "s3cret"), policy, realm=name)
    return api_basic_auth.app.create_app(settings_basic, transport=transport)


class Recorder:
    """A fake issuer that records the introspection request and calls the token active."""

    def __init__(self) -> None:
        self.introspection: httpx.Request | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("openid-configuration"):
            body = {
                "issuer": ISSUER,
                "token_endpoint": f"{ISSUER}/t",
                "introspection_endpoint": f"{ISSUER}/i",
            }
            return httpx.Response(200, json=body)
        self.introspection = request
        return httpx.Response(200, json={"active": True, "aud": ["P1"]})


async def introspection_request(name: str) -> httpx.Request:
    recorder = Recorder()
    app = build(name, httpx.MockTransport(recorder))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            response = await client.get("/api/private", headers={"Authorization": "Bearer t"})
    assert response.status_code == 200
    assert recorder.introspection is not None
    return recorder.introspection


@pytest.mark.parametrize("name", ["api_jwt", "api_basic_auth"])
def test_both_apis_serve_the_same_five_routes(name: str) -> None:
    app = build(name, httpx.MockTransport(Recorder()))
    assert set(app.openapi()["paths"]) == ROUTES
    assert app.title == name


@pytest.mark.anyio
async def test_api_jwt_introspects_with_private_key_jwt_and_no_secret() -> None:
    request = await introspection_request("api_jwt")
    form = dict(parse_qsl(request.content.decode()))
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert form["token"] == "t" and "client_secret" not in form
    assert "Authorization" not in request.headers


@pytest.mark.anyio
async def test_api_basic_auth_introspects_with_client_secret_basic_only() -> None:
    request = await introspection_request("api_basic_auth")
    assert request.headers["Authorization"].startswith("Basic ")
    assert dict(parse_qsl(request.content.decode())) == {"token": "t"}


@pytest.mark.parametrize(
    ("module", "grant"),
    [
        ("service_user_jwt", "jwt_profile"),
        ("service_user_client_credentials", "client_credentials"),
        ("service_user_pat", "pat"),
    ],
)
def test_each_client_module_runs_its_own_grant(
    module: str, grant: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", [module, "--help"])
    with pytest.raises(SystemExit) as raised:
        runpy.run_module(module, run_name="__main__")
    assert raised.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"python -m {module}" in help_text
    assert f"with the {grant} grant" in help_text


@pytest.mark.parametrize(
    ("module", "port"), [("api_jwt", "8001"), ("api_basic_auth", "8002"), ("api_local_jwt", "8003")]
)
def test_each_api_module_serves_on_its_own_default_port(
    module: str, port: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", [module, "--help"])
    with pytest.raises(SystemExit):
        runpy.run_module(module, run_name="__main__")
    assert f"(default: {port})" in capsys.readouterr().out
