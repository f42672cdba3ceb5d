"""`python -m benchmarks.floor`: what a cached request costs beyond the public route, in parts.

In one process, without server or sockets (the app called as ASGI, the mock issuer behind
`httpx.ASGITransport`), CPU time per request of three routes that differ by one thing each:
the public route; the same route with one FastAPI dependency that does nothing but take the
`Request` (FastAPI's own cost of a dependency); and `/api/private` with `require_token()` and
a token already in the cache (RFC 7662 §4, https://www.rfc-editor.org/rfc/rfc7662#section-4).
Then the pieces of oauthkit's check, each timed alone. The server's share (uvicorn, httptools,
the socket) is the same for all three routes and is not in these numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, MutableMapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, FastAPI, Request

from api_basic_auth.app import load_settings
from benchmarks.options import positive
from mock_issuer import MockIssuer
from oauthkit import (
    ClientSecretBasic,
    EnvSource,
    IntrospectionCache,
    Principal,
    digest,
    digest_fingerprint,
    parse_authorization,
    validate,
)
from oauthkit.fastapi import create_api, require_token

RUNS = 5


async def _nothing(request: Request) -> None:
    """A dependency that only takes the request, as `require_token()`'s does."""


def router() -> APIRouter:
    """The three routes, in one router so that routing costs them the same."""
    routes = APIRouter(prefix="/api")

    @routes.get("/public")
    async def public() -> dict[str, str]:
        return {"message": "Public: no token needed."}

    @routes.get("/one-dependency")
    async def one_dependency(_: Annotated[None, Depends(_nothing)]) -> dict[str, str]:
        return {"message": "Public: no token needed."}

    @routes.get("/private")
    async def private(
        principal: Annotated[Principal, Depends(require_token())],
    ) -> dict[str, str | None]:
        return {"message": "Private: your token is valid.", "sub": principal.sub}

    return routes


async def call(app: FastAPI, path: str, authorization: bytes) -> int:
    """One GET through the app as ASGI; its status."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"api"), (b"authorization", authorization)],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 2),
    }  # fmt: skip
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(scope, receive, send)
    return statuses[0]


async def per_request_us(app: FastAPI, path: str, authorization: bytes, count: int) -> list[float]:
    """CPU microseconds per request over `RUNS` runs of `count` requests."""
    runs = []
    for _ in range(RUNS):
        started = time.process_time()
        for _ in range(count):
            await call(app, path, authorization)
        runs.append((time.process_time() - started) / count * 1e6)
    return runs


def piece_us(work: Callable[[], object], count: int) -> float:
    """Median CPU microseconds of one call of `work`."""
    runs = []
    for _ in range(RUNS):
        started = time.process_time()
        for _ in range(count):
            work()
        runs.append((time.process_time() - started) / count * 1e6)
    return statistics.median(runs)


async def measure(count: int) -> dict[str, Any]:
    """Every route and piece; the document printed."""
    issuer = MockIssuer(issuer="http://issuer.test")
    world = issuer.provision()
    with tempfile.TemporaryDirectory(prefix="benchmarks-floor-") as name:
        env = world.write_env(Path(name))
        settings = load_settings(_env(env))
    app = create_api(
        settings,
        ClientSecretBasic(settings.credentials),
        router(),
        transport=httpx.ASGITransport(issuer.app),
    )
    token = world.pat_user.pat or ""
    authorization = b"Bearer " + token.encode()
    routes: dict[str, list[float]] = {}
    async with app.router.lifespan_context(app):
        for path in ("/api/public", "/api/one-dependency", "/api/private"):
            if await call(app, path, authorization) != 200:
                raise RuntimeError(f"{path} did not answer 200")
        for _ in range(2):  # interleaved, so drift does not fall on one route
            for path in ("/api/public", "/api/one-dependency", "/api/private"):
                routes.setdefault(path, []).extend(
                    await per_request_us(app, path, authorization, count)
                )
    return {"routes": routes, "pieces": _pieces(token, settings.policy, count)}


def _pieces(token: str, policy: Any, count: int) -> dict[str, float]:
    answer = {
        "active": True, "sub": "1", "client_id": "c", "username": "u", "token_type": "Bearer",
        "scope": "openid", "aud": ["a", "b"], "iss": "http://issuer.test", "jti": "j",
        "exp": time.time() + 3600, "iat": 1, "nbf": 1,
        "urn:zitadel:iam:org:project:roles": {"read:messages": {"1": "x"}},
    }  # fmt: skip
    cache = IntrospectionCache(60.0)
    key = digest(token)
    cache.put(key, answer, time.time())
    header = ["Bearer " + token]
    loose = policy.__class__(issuer=policy.issuer)  # the answer above names no audience of ours
    return {
        "parse the Authorization header": piece_us(lambda: parse_authorization(header), count),
        "hash the token once (key and fingerprint)": piece_us(
            lambda: digest_fingerprint(digest(token)), count
        ),
        "look the answer up in the cache": piece_us(lambda: cache.get(key, time.time()), count),
        "validate the answer (RFC 7662 §2.2)": piece_us(
            lambda: validate(answer, loose, time.time()), count
        ),
    }


def report(document: dict[str, Any]) -> str:
    """Markdown: the three routes, the differences, the pieces."""
    medians = {path: statistics.median(runs) for path, runs in document["routes"].items()}
    public, one, private = (
        medians[p] for p in ("/api/public", "/api/one-dependency", "/api/private")
    )
    lines = [
        "| route (in process, no server) | CPU us/request: median (low-high) |",
        "| :-- | --: |",
    ]
    for path, runs in document["routes"].items():
        lines.append(f"| `{path}` | {medians[path]:.1f} ({min(runs):.1f}-{max(runs):.1f}) |")
    lines += [
        "",
        f"- FastAPI resolving one dependency: {one - public:.1f} us per request",
        f"- oauthkit's check of a cached token, beyond that: {private - one:.1f} us",
        f"- cached / public, in process: {private / public:.2f}x",
        "",
        "| piece of the check | CPU us (median) |",
        "| :-- | --: |",
        *(f"| {name} | {value:.1f} |" for name, value in document["pieces"].items()),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    """Run the command line."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.floor", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--requests", type=positive(int), default=2000, metavar="N",
                   help="requests per run (default: %(default)s)")  # fmt: skip
    args = p.parse_args(argv)
    print(report(asyncio.run(measure(args.requests))))
    return 0


def _env(env_file: Path) -> EnvSource:
    # Only the `.env` and the cache TTL: a developer's exported settings must not count.
    return EnvSource.load(env_file, {"INTROSPECTION_CACHE_TTL": "60"}, required=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
