"""A hostile issuer: a raw HTTP/1.1 server on a free loopback port that answers any of its
endpoints with malformed framing, or with a dripped, huge or gzip-bombed body.

Each test asks for an issuer of its own (`HostileServer.issuer()`): a URL prefix whose endpoints
(discovery, introspection, JWKS, token) answer well, but for those the test names, which answer
with a `SHAPES` entry (malformed HTTP) or a `FLOODS` entry (too slow, too big). The server runs
in a thread of its own, so blocking clients (the service users') and the APIs' event loop both
reach it; it writes raw bytes, so it can say what no HTTP library would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import threading
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

Endpoint = str  # "discovery", "introspection", "jwks" or "token"
PATHS = {
    ".well-known/openid-configuration": "discovery",
    "introspect": "introspection",
    "keys": "jwks",
    "token": "token",
}
HANG_GUARD_S = 30.0
_J = b'{"active":true}'
_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"

SHAPES: dict[str, bytes] = {
    "garbage-status-line": b"GARBAGE NONSENSE\r\n\r\n",
    "header-without-colon": _HEAD + b"Content-Length: 15\r\nX-Broken header\r\n\r\n" + _J,
    "bad-content-length": _HEAD + b"Content-Length: abc\r\n\r\n" + _J,
    "doubled-content-length": _HEAD + b"Content-Length: 15\r\nContent-Length: 16\r\n\r\n" + _J,
    "broken-chunking": _HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n" + _J + b"\r\n0\r\n\r\n",
    "truncated-chunked-body": _HEAD + b"Transfer-Encoding: chunked\r\n\r\n40\r\n" + _J,
    "too-many-headers": _HEAD
    + b"".join(b"X-H%d: v\r\n" % i for i in range(300))
    + b"Content-Length: 15\r\n\r\n"
    + _J,
    "http-0.9-answer": _J,
    "nul-in-header": _HEAD + b"Content-Length: 15\r\nX-A: a\x00b\r\n\r\n" + _J,
    "status-out-of-range": b"HTTP/1.1 1000 OK\r\nContent-Length: 15\r\n\r\n" + _J,
    "unknown-http-version": b"HTTP/9.9 200 OK\r\nContent-Length: 15\r\n\r\n" + _J,
    "header-line-too-long": _HEAD + b"X-Long: " + b"a" * 100_000 + b"\r\n\r\n" + _J,
    "length-and-chunked": _HEAD
    + b"Content-Length: 15\r\nTransfer-Encoding: chunked\r\n\r\nf\r\n"
    + _J
    + b"\r\n0\r\n\r\n",
}
"""The 13 shapes of malformed HTTP framing, each a whole answer (the connection closes after)."""

FLOOD_BYTES = 50 * 1024 * 1024
BOMB_BYTES = 512 * 1024 * 1024
DRIP_PAUSE_S = 0.05
FLOODS = ("dripped", "50-mb", "gzip-bomb")
"""Answers that are well-formed but too slow (one byte per 50 ms), too big (50 MB, no
`Content-Length`) or a gzip bomb (512 MiB of zeros in about 2 MiB)."""


@cache
def gzip_bomb() -> bytes:
    """A gzip body of `BOMB_BYTES` zeros (made once per process)."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # level 1: made in under a second
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(BOMB_BYTES // len(block))]
    return b"".join([*parts, packer.flush()])


@dataclass
class Issuer:
    """One test's issuer: its URL, which endpoints misbehave and how, and what it was asked."""

    url: str
    key: rsa.RSAPrivateKey
    kid: str
    hostile: dict[Endpoint, str] = field(default_factory=dict)
    asked: dict[Endpoint, threading.Event] = field(default_factory=dict)
    sent: dict[Endpoint, int] = field(default_factory=dict)

    def jwt(self, kid: str | None = None, **claims: Any) -> str:
        """A JWT access token this issuer signs (under `kid`, its own by default)."""
        body = {"iss": self.url, "sub": "user", "exp": 4_000_000_000, "client_id": "c"}
        body |= {"jti": secrets.token_hex(8), **claims}
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def was_asked(self, endpoint: Endpoint) -> threading.Event:
        """Set once `endpoint` has been requested."""
        return self.asked.setdefault(endpoint, threading.Event())

    def good_answer(self, endpoint: Endpoint) -> dict[str, Any]:
        """What a well-behaved issuer answers at `endpoint`."""
        if endpoint == "discovery":
            return {
                "issuer": self.url,
                "token_endpoint": f"{self.url}/token",
                "introspection_endpoint": f"{self.url}/introspect",
                "jwks_uri": f"{self.url}/keys",
            }
        if endpoint == "jwks":
            public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}
        if endpoint == "token":
            return {"access_token": "tok-" + secrets.token_hex(8), "token_type": "Bearer"}
        return {"active": True, "sub": "user", "iss": self.url}


Writer = Callable[[asyncio.StreamWriter, Issuer, Endpoint], Awaitable[None]]


class HostileServer:
    """The server: start it with `with`, then make issuers with `issuer(...)`."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._issuers: dict[str, Issuer] = {}
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server: asyncio.Server | None = None
        self.base = ""

    def __enter__(self) -> HostileServer:
        self._thread.start()
        start = asyncio.start_server(self._handle, "127.0.0.1", 0)
        self._server = asyncio.run_coroutine_threadsafe(start, self._loop).result(HANG_GUARD_S)
        self.base = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(HANG_GUARD_S)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(HANG_GUARD_S)
        self._loop.close()

    async def _close(self) -> None:
        assert self._server is not None
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def issuer(self, **hostile: str) -> Issuer:
        """A new issuer whose endpoints named in `hostile` answer with that shape or flood."""
        name = secrets.token_hex(4)
        url = f"{self.base}/{name}"
        self._issuers[name] = Issuer(url, self._key, "k-" + name, dict(hostile))
        return self._issuers[name]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # CancelledError too: a handler cancelled at shutdown ends quietly, not as a logged error.
        quiet = (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError)
        with contextlib.suppress(*quiet):
            try:
                while await self._answer(reader, writer):
                    pass
            finally:
                writer.close()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; whether the connection may carry another."""
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        length = next(
            (int(line.split(":", 1)[1]) for line in head.split("\r\n")
             if line.lower().startswith("content-length:")),
            0,
        )  # fmt: skip
        await reader.readexactly(length)  # unread bytes would turn our close into a reset
        path = head.split(" ", 2)[1].lstrip("/")
        name, _, rest = path.partition("/")
        issuer, endpoint = self._issuers.get(name), PATHS.get(rest)
        if issuer is None or endpoint is None:
            writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            return True
        issuer.was_asked(endpoint).set()
        behaviour = issuer.hostile.get(endpoint)
        if behaviour is None:
            body = json.dumps(issuer.good_answer(endpoint)).encode()
            writer.write(_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            return True
        if behaviour in SHAPES:
            writer.write(SHAPES[behaviour])
        else:
            await _FLOOD_WRITERS[behaviour](writer, issuer, endpoint)
        await writer.drain()
        return False


async def _drip(writer: asyncio.StreamWriter, issuer: Issuer, endpoint: Endpoint) -> None:
    steps = int(HANG_GUARD_S / DRIP_PAUSE_S)  # a small body (under every cap), sent too slowly
    writer.write(_HEAD + b"Content-Length: %d\r\n\r\n" % steps)
    for _ in range(steps):
        if writer.is_closing():
            return
        writer.write(b" ")
        await writer.drain()
        issuer.sent[endpoint] = issuer.sent.get(endpoint, 0) + 1
        await asyncio.sleep(DRIP_PAUSE_S)


async def _flood(writer: asyncio.StreamWriter, issuer: Issuer, endpoint: Endpoint) -> None:
    writer.write(_HEAD + b"Connection: close\r\n\r\n")  # no length: the body ends with the close
    chunk = b" " * 65536
    for _ in range(FLOOD_BYTES // len(chunk)):
        if writer.is_closing():
            return
        writer.write(chunk)
        await writer.drain()
        issuer.sent[endpoint] = issuer.sent.get(endpoint, 0) + len(chunk)


async def _bomb(writer: asyncio.StreamWriter, issuer: Issuer, endpoint: Endpoint) -> None:
    body = gzip_bomb()
    writer.write(_HEAD + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body))
    writer.write(body)
    issuer.sent[endpoint] = len(body)


_FLOOD_WRITERS: dict[str, Writer] = {"dripped": _drip, "50-mb": _flood, "gzip-bomb": _bomb}


@contextlib.contextmanager
def hostile_server() -> Iterator[HostileServer]:
    """A started `HostileServer`, stopped at the end."""
    with HostileServer() as server:
        yield server
