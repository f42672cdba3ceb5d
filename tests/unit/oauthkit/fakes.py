"""A scripted fake issuer behind `httpx.MockTransport`, and small helpers for the unit tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "http://issuer.test"
Handler = Callable[[httpx.Request], httpx.Response]


def pem(key: rsa.RSAPrivateKey, fmt: serialization.PrivateFormat) -> str:
    """The key as unencrypted PEM in the given format."""
    raw = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
    return raw.decode()


def write_json(path: Path, data: Any) -> Path:
    """Write `data` as JSON to `path` and return the path."""
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def json_response(status: int, data: Any) -> httpx.Response:
    """A JSON answer."""
    return httpx.Response(status, json=data)


class FakeIssuer:
    """A scripted issuer behind `httpx.MockTransport`; it records every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[str, Handler] = {}
        self.token: Handler = lambda r: json_response(
            200, {"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600}
        )
        self.introspect: Handler = lambda r: json_response(200, {"active": True})
        self.discovery: Handler = lambda r: json_response(
            200,
            {
                "issuer": ISSUER,
                "token_endpoint": f"{ISSUER}/oauth/v2/token",
                "introspection_endpoint": f"{ISSUER}/oauth/v2/introspect",
            },
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Route by path to the scripted handler."""
        self.requests.append(request)
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/oauth/v2/token": self.token,
            "/oauth/v2/introspect": self.introspect,
            **self.routes,
        }
        handler = routes.get(request.url.path)
        return handler(request) if handler else httpx.Response(404)

    def transport(self) -> httpx.MockTransport:
        """A transport for sync and async clients."""
        return httpx.MockTransport(self.handle)

    def paths(self) -> list[str]:
        """The paths requested, in order."""
        return [r.url.path for r in self.requests]


def form_of(request: httpx.Request) -> dict[str, str]:
    """The form-urlencoded body of a request."""
    return dict(parse_qsl(request.content.decode()))
