"""The lie layer: ASGI middleware that sends the active lie instead of the true answer.

It sits inside the fault layer (:mod:`mock_issuer.faults`). The true answer is computed first;
a request the issuer refuses is never lied about. A dripped body goes out a piece at a time; a
dripped head is written to the socket directly (:data:`mock_issuer.server.RAW_WRITE`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_issuer.lie_answers import CHUNK, ELSEWHERE_PATH, Reply, reply_for
from mock_issuer.lies import LieKind, Lies
from mock_issuer.scoped import token_of
from mock_issuer.server import RAW_WRITE, RawResponseSent

DRIP_SECONDS = 3.0
DRIP_STEP_SECONDS = 0.1


class LieLayer:
    """ASGI middleware: computes the true answer, then sends the active lie instead."""

    def __init__(
        self, app: ASGIApp, lies: Lies, now: Callable[[], float], issuer: Callable[[], str]
    ) -> None:
        self.app = app
        self.lies = lies
        self.now = now
        self.issuer = issuer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request, lying where a lie is switched on."""
        if scope["type"] == "http" and scope["path"] == ELSEWHERE_PATH:
            self.lies.count_redirect_followed()
            body = b'{"active": true, "sub": "elsewhere"}'
            await _send(send, Reply(200, body))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = None
        if self.lies.scoped(scope["path"]):
            token, receive = await token_of(scope, receive)
        picked = self.lies.pick(scope["path"], token)
        if picked is None:
            await self.app(scope, receive, send)
            return
        kind = picked[0]
        status, real = await _capture(self.app, scope, receive)
        if status != 200:  # the request itself was refused: no lie about a refusal
            await _send(send, Reply(status, real))
            return
        self.lies.count_told(*picked)
        # Off the event loop: a 30 MB body takes a while to build, and the loop serves everyone.
        reply = await asyncio.to_thread(reply_for, kind, real, self.now(), self.issuer())
        raw_write = scope.get("extensions", {}).get(RAW_WRITE)
        if kind is LieKind.DRIP_HEADERS and raw_write is not None:
            await _drip_raw(raw_write, reply)
            raise RawResponseSent()
        await _send(send, reply)


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, bytes]:
    status = 500
    body = bytearray()

    async def keep(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, keep)
    return status, bytes(body)


def _head(reply: Reply) -> list[tuple[bytes, bytes]]:
    headers = [(b"content-type", reply.content_type.encode())]
    headers.append((b"content-length", str(len(reply.body)).encode()))
    return headers + [(k.encode(), v.encode()) for k, v in reply.headers]


async def _send(send: Send, reply: Reply) -> None:
    await send({"type": "http.response.start", "status": reply.status, "headers": _head(reply)})
    if reply.drip:
        await _drip(send, reply.body)
        return
    for start in range(0, max(len(reply.body), 1), CHUNK):
        more = start + CHUNK < len(reply.body)
        chunk = reply.body[start : start + CHUNK]
        await send({"type": "http.response.body", "body": chunk, "more_body": more})


def _drip_pieces(body: bytes) -> list[bytes]:
    steps = int(DRIP_SECONDS / DRIP_STEP_SECONDS)
    size = max(1, -(-len(body) // steps))
    return [body[i : i + size] for i in range(0, len(body), size)]


@dataclass(frozen=True)
class Pace:
    """The clock a drip keeps its schedule by: the time now, and a way to wait."""

    now: Callable[[], float]
    sleep: Callable[[float], Awaitable[object]]


def _loop_pace() -> Pace:
    return Pace(asyncio.get_running_loop().time, asyncio.sleep)


async def _paced(count: int, pace: Pace | None = None) -> AsyncIterator[int]:
    """0 to ``count - 1``, index n due n steps (`DRIP_STEP_SECONDS`) after the first: on a
    schedule, so a busy event loop's late wake-ups do not add up (a drip lasts `DRIP_SECONDS`,
    not twice as long). ``pace`` is the event loop's clock unless given."""
    pace = pace or _loop_pace()
    start = pace.now()
    for index in range(count):
        if index:
            await pace.sleep(max(0.0, start + index * DRIP_STEP_SECONDS - pace.now()))
        yield index


async def _drip(send: Send, body: bytes, pace: Pace | None = None) -> None:
    pieces = _drip_pieces(body)
    async for index in _paced(len(pieces), pace):
        more = index < len(pieces) - 1
        await send({"type": "http.response.body", "body": pieces[index], "more_body": more})


async def _drip_raw(write: Callable[[bytes], None], reply: Reply, pace: Pace | None = None) -> None:
    """Write the status line and headers a few bytes at a time, then the body at once; the
    connection is closed after it, and the head says so (RFC 9112 §9.6): a client keeping it
    alive would send its next request into the closed socket ("socket hang up" in Node)."""
    headers = [*_head(reply), (b"connection", b"close")]
    head = b"HTTP/1.1 200 OK\r\n" + b"".join(k + b": " + v + b"\r\n" for k, v in headers)
    pieces = _drip_pieces(head + b"\r\n")
    async for index in _paced(len(pieces) + 1, pace):
        write(pieces[index] if index < len(pieces) else reply.body)
