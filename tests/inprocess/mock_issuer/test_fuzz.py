"""A bounded, seeded fuzz of the token, introspection, revocation and userinfo endpoints: no 500.

Thousands of requests built from pieces that broke the issuer before (bytes outside ASCII in
headers, numbers out of range in assertions, malformed forms), mixed at random with a fixed
seed, so a failure names its seed and input and replays exactly.
"""

from __future__ import annotations

import base64
import json
import random
from typing import Any

import pytest

from mock_issuer import MockIssuer

from .support import ASSERTION_TYPE, JWT_BEARER, client

pytestmark = pytest.mark.anyio
SEED = 20261201
REQUESTS_PER_ENDPOINT = 1000
ENDPOINTS = ["/oauth/v2/token", "/oauth/v2/introspect", "/oauth/v2/revoke", "/oidc/v1/userinfo"]
FORM = "application/x-www-form-urlencoded"
WEIRD_NUMBERS: list[Any] = [10**400, -(10**300), 1e308, -1, 0, 2**63, "1800000000", None, [1]]
WEIRD_TEXT = ["", " ", "é", "\u0000", "a" * 300, "%", "+", ":", "=", "..", "{}", "null"]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt_like(rng: random.Random, subjects: list[str], issuer: str) -> str:
    header = {"alg": rng.choice(["RS256", "none", "HS256", 5]), "kid": rng.choice(["k", "", 1])}
    claims = {
        name: rng.choice([*WEIRD_NUMBERS, *WEIRD_TEXT, *subjects, issuer])
        for name in ("iss", "sub", "aud", "exp", "iat", "nbf", "jti")
        if rng.random() < 0.8
    }
    parts = [_b64url(json.dumps(header).encode()), _b64url(json.dumps(claims).encode())]
    return ".".join([*parts, rng.choice(["", "c2ln", "!!", "=="])])


def _value(rng: random.Random, subjects: list[str], issuer: str) -> str:
    kind = rng.random()
    if kind < 0.3:
        return _jwt_like(rng, subjects, issuer)
    if kind < 0.5:
        return rng.choice(subjects)
    return rng.choice(WEIRD_TEXT) + "".join(rng.choice("ab.=%+-_ é\t") for _ in range(5))


def _authorization(rng: random.Random, subjects: list[str]) -> bytes | None:
    choice = rng.random()
    if choice < 0.3:
        return None
    if choice < 0.6:
        raw = f"{rng.choice(subjects)}:{rng.choice(WEIRD_TEXT)}".encode()
        return b"Basic " + base64.b64encode(raw)
    noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12)))
    return rng.choice([b"Basic ", b"Bearer ", b"basic", b""]) + noise.replace(b"\n", b"")


def _request(rng: random.Random, subjects: list[str], issuer: str) -> dict[str, Any]:
    names = ["token", "grant_type", "scope", "assertion", "client_assertion"]
    names += ["client_assertion_type", "client_id", "client_secret", "token_type_hint"]
    names += ["access_token"]
    values = {
        "grant_type": [JWT_BEARER, "client_credentials", "password", ""],
        "client_assertion_type": [ASSERTION_TYPE, "x"],
    }
    form = {
        name: rng.choice(values.get(name) or [_value(rng, subjects, issuer)])
        for name in names
        if rng.random() < 0.4
    }
    body = "&".join(f"{k}={v}" for k, v in form.items()).encode("utf-8")
    if rng.random() < 0.1:
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
    headers: dict[str, Any] = {"Content-Type": FORM if rng.random() < 0.9 else "text/plain"}
    authorization = _authorization(rng, subjects)
    if authorization is not None:
        headers["Authorization"] = authorization
    return {"content": body, "headers": headers}


async def test_a_few_thousand_random_requests_never_get_a_500(shared: MockIssuer) -> None:
    world = shared.provision()
    subjects = [
        world.api_basic_app.client_id, world.api_jwt_app.client_id, world.jwt_user.user_id,
        world.cc_user.username, world.pat_user.pat or "",
    ]  # fmt: skip
    rng = random.Random(SEED)
    failures: list[str] = []
    async with client(shared) as c:
        for index in range(REQUESTS_PER_ENDPOINT * len(ENDPOINTS)):
            path = ENDPOINTS[index % len(ENDPOINTS)]
            request = _request(rng, subjects, shared.issuer)
            response = await c.post(path, **request)
            if response.status_code >= 500:
                failures.append(f"#{index} {path} {request!r} -> {response.status_code}")
    assert not failures, f"seed {SEED}: {len(failures)} 5xx, first: {failures[:3]}"
