"""A lying issuer: well-formed HTTP, wrong answers, switched on per test (RFC 7662 §2.2).

Where :mod:`mock_issuer.faults` breaks the transport, a lie answers: the real introspection
answer is computed, then bent in one respect (``active`` as ``"true"``, an ``exp`` of a
thousand digits, a foreign ``aud``, a 30 MB body, a gzip bomb, a 302 elsewhere, a body dripped
past the caller's timeout, ...). Discovery lies bend the discovery document instead. A resource
server owes a refusal to every one of them: never 200, never a 500.

:class:`LieLayer` sits inside the fault layer. Bodies are built as text, since several lies
are JSON that Python's encoder would not write (duplicate members, ``NaN``, ``1e400``).
"""

from __future__ import annotations

import asyncio
import enum
import json
import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_issuer import paths
from mock_issuer.server import RAW_WRITE, RawResponseSent

ROLES_CLAIM = "urn:zitadel:iam:org:project:roles"
FOREIGN_AUDIENCE = "999999999999999999"
FOREIGN_ISSUER = "https://elsewhere.example"
ELSEWHERE_PATH = "/elsewhere/introspect"
NESTING_DEPTH = 100_000
HUGE_BODY_BYTES = 30 * 1024 * 1024
BOMB_EXPANDED_BYTES = 200 * 1024 * 1024
DRIP_SECONDS = 3.0
DRIP_STEP_SECONDS = 0.1
CHUNK = 1024 * 1024


class LieKind(enum.Enum):
    """How the answer is wrong; ``DISCOVERY_*`` lies bend the discovery document."""

    ACTIVE_STRING = "active_string"
    ACTIVE_ONE = "active_one"
    ACTIVE_NULL = "active_null"
    ACTIVE_LIST = "active_list"
    ACTIVE_MISSING = "active_missing"
    ACTIVE_DUPLICATE = "active_duplicate"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    EXP_STRING = "exp_string"
    EXP_NAN = "exp_nan"
    EXP_OVERFLOW = "exp_overflow"
    EXP_HUNDREDS_OF_DIGITS = "exp_hundreds_of_digits"
    EXP_THOUSANDS_OF_DIGITS = "exp_thousands_of_digits"
    FOREIGN_AUDIENCE = "foreign_audience"
    TWO_AUDIENCES_IN_ONE_STRING = "two_audiences_in_one_string"
    FOREIGN_ISSUER = "foreign_issuer"
    REFRESH_TOKEN_TYPE = "refresh_token_type"
    ROLES_WRONG_TYPE = "roles_wrong_type"
    DEEP_NESTING = "deep_nesting"
    HUGE_BODY = "huge_body"
    COMPRESSED_BOMB = "compressed_bomb"
    JSON_AS_HTML = "json_as_html"
    JSON_AS_UTF16 = "json_as_utf16"
    EMPTY_200 = "empty_200"
    TOO_MANY_REQUESTS = "too_many_requests"
    REDIRECT_ELSEWHERE = "redirect_elsewhere"
    DRIP_BODY = "drip_body"
    DRIP_HEADERS = "drip_headers"
    DISCOVERY_OTHER_ISSUER = "discovery_other_issuer"
    DISCOVERY_NO_INTROSPECTION = "discovery_no_introspection"
    DISCOVERY_DEEP_NESTING = "discovery_deep_nesting"
    DISCOVERY_HUGE_NUMBER = "discovery_huge_number"

    @property
    def fresh(self) -> bool:
        """Whether an API must start afresh to see it (discovery is read once per process)."""
        return self.value.startswith("discovery_")

    @property
    def path(self) -> str:
        """The path whose answer this lie bends."""
        return paths.DISCOVERY if self.fresh else paths.INTROSPECTION


@dataclass(frozen=True)
class Reply:
    """An answer as the lie layer sends it: status, headers, body chunks, pause between."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    drip: bool = False


class Lies:
    """The set of active lies of one issuer (thread-safe), and who followed a redirect."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: list[LieKind] = []
        self.redirects_followed = 0

    def set(self, kind: LieKind) -> LieKind:
        """Switch a lie on (one per path: it replaces another lie about the same answer)."""
        with self._lock:
            self._active = [k for k in self._active if k.path != kind.path] + [kind]
        return kind

    def remove(self, kind: LieKind) -> None:
        """Switch a lie off (no error if it is off)."""
        with self._lock:
            self._active = [k for k in self._active if k is not kind]

    def clear(self) -> None:
        """Switch every lie off."""
        with self._lock:
            self._active = []

    def for_path(self, path: str) -> LieKind | None:
        """The lie about the answer at ``path``, if any."""
        with self._lock:
            return next((k for k in self._active if k.path == path), None)

    def count_redirect_followed(self) -> None:
        """Someone followed the 302 to :data:`ELSEWHERE_PATH`."""
        with self._lock:
            self.redirects_followed += 1


def _text(members: dict[str, Any], extra: str = "") -> bytes:
    body = json.dumps(members)
    if extra:
        body = body[:-1] + (", " if members else "") + extra + "}"
    return body.encode()


def _with(**changes: Any) -> Callable[[dict[str, Any], float], bytes]:
    return lambda answer, now: _text({**answer, **changes})


def _raw_member(name: str, raw: str) -> Callable[[dict[str, Any], float], bytes]:
    def bend(answer: dict[str, Any], now: float) -> bytes:
        rest = {k: v for k, v in answer.items() if k != name}
        return _text(rest, f'"{name}": {raw}')

    return bend


def _without_active(answer: dict[str, Any], now: float) -> bytes:
    return _text({k: v for k, v in answer.items() if k != "active"})


def _duplicate_active(answer: dict[str, Any], now: float) -> bytes:
    # The first member says inactive, the last active: a lenient parser keeps the last.
    rest = {k: v for k, v in answer.items() if k != "active"}
    return _text({"active": False, **rest}, '"active": true')


def _two_audiences(answer: dict[str, Any], now: float) -> bytes:
    real = answer.get("aud")
    ours = " ".join(real) if isinstance(real, list) else str(real)
    return _text({**answer, "aud": f"{FOREIGN_AUDIENCE} {ours}"})


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


CLAIM_LIES: dict[LieKind, Callable[[dict[str, Any], float], bytes]] = {
    LieKind.ACTIVE_STRING: _with(active="true"),
    LieKind.ACTIVE_ONE: _with(active=1),
    LieKind.ACTIVE_NULL: _with(active=None),
    LieKind.ACTIVE_LIST: _with(active=[True]),
    LieKind.ACTIVE_MISSING: _without_active,
    LieKind.ACTIVE_DUPLICATE: _duplicate_active,
    LieKind.EXPIRED: lambda a, now: _text({**a, "exp": int(now) - 3600, "iat": int(now) - 7200}),
    LieKind.NOT_YET_VALID: lambda a, now: _text({**a, "nbf": int(now) + 3600}),
    LieKind.EXP_STRING: lambda a, now: _text({**a, "exp": str(a.get("exp", int(now) + 60))}),
    LieKind.EXP_NAN: _raw_member("exp", "NaN"),
    LieKind.EXP_OVERFLOW: _raw_member("exp", "1e400"),
    LieKind.EXP_HUNDREDS_OF_DIGITS: _raw_member("exp", "9" * 400),
    LieKind.EXP_THOUSANDS_OF_DIGITS: _raw_member("exp", "9" * 5000),
    LieKind.FOREIGN_AUDIENCE: _with(aud=[FOREIGN_AUDIENCE]),
    LieKind.TWO_AUDIENCES_IN_ONE_STRING: _two_audiences,
    LieKind.FOREIGN_ISSUER: _with(iss=FOREIGN_ISSUER),
    LieKind.REFRESH_TOKEN_TYPE: _with(token_type="refresh_token"),
    # One string in which the role's name is only part of a word.
    LieKind.ROLES_WRONG_TYPE: _with(**{ROLES_CLAIM: "not-read:messages"}),
    LieKind.DEEP_NESTING: _raw_member("nested", _nested(NESTING_DEPTH)),
}
DISCOVERY_LIES: dict[LieKind, Callable[[dict[str, Any], float], bytes]] = {
    LieKind.DISCOVERY_OTHER_ISSUER: _with(issuer=FOREIGN_ISSUER),
    LieKind.DISCOVERY_NO_INTROSPECTION: lambda doc, now: _text(
        {k: v for k, v in doc.items() if k != "introspection_endpoint"}
    ),
    LieKind.DISCOVERY_DEEP_NESTING: _raw_member("nested", _nested(NESTING_DEPTH)),
    LieKind.DISCOVERY_HUGE_NUMBER: _raw_member("request_object_signing_alg_max", "9" * 5000),
}


@cache
def _bomb() -> bytes:
    """A gzip body of a few hundred KB that expands to :data:`BOMB_EXPANDED_BYTES` of JSON.

    Built in milliseconds: after a full flush a deflate stream starts afresh (RFC 1951 §3.2),
    so one compressed megabyte of zeros can be repeated as is; only the CRC reads every byte.
    """
    head, tail, zeros = b'{"active": true, "padding": "', b'"}', b"0" * CHUNK
    repeats = BOMB_EXPANDED_BYTES // CHUNK
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(tail) + deflate.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(tail, crc)
    size = (len(head) + repeats * CHUNK + len(tail)) & 0xFFFFFFFF
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # RFC 1952 §2.3, no name, mtime 0
    return header + start + block * repeats + end + struct.pack("<II", crc, size)


def reply_for(kind: LieKind, real: bytes, now: float, issuer: str) -> Reply:
    """What the issuer sends instead of ``real`` (the true answer's JSON body)."""
    if kind in CLAIM_LIES or kind in DISCOVERY_LIES:
        bend = CLAIM_LIES.get(kind) or DISCOVERY_LIES[kind]
        return Reply(200, bend(json.loads(real), now))
    if kind is LieKind.HUGE_BODY:
        answer = json.loads(real)
        padding = "x" * (HUGE_BODY_BYTES - len(real))
        return Reply(200, _text({**answer, "padding": padding}))
    if kind is LieKind.COMPRESSED_BOMB:
        return Reply(200, _bomb(), headers=(("content-encoding", "gzip"),))
    if kind is LieKind.JSON_AS_HTML:
        return Reply(200, real, content_type="text/html; charset=utf-8")
    if kind is LieKind.JSON_AS_UTF16:
        text = real.decode()
        return Reply(200, text.encode("utf-16"), content_type="application/json; charset=utf-16")
    if kind is LieKind.EMPTY_200:
        return Reply(200)
    if kind is LieKind.TOO_MANY_REQUESTS:
        body = b'{"error": "slow_down", "error_description": "too many requests"}'
        return Reply(429, body, headers=(("retry-after", "30"),))
    if kind is LieKind.REDIRECT_ELSEWHERE:
        return Reply(302, b"", headers=(("location", issuer + ELSEWHERE_PATH),))
    return Reply(200, real, drip=True)  # DRIP_BODY, DRIP_HEADERS


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
        kind = self.lies.for_path(scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        status, real = await _capture(self.app, scope, receive)
        if status != 200:  # the request itself was refused: no lie about a refusal
            await _send(send, Reply(status, real))
            return
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


async def _drip(send: Send, body: bytes) -> None:
    pieces = _drip_pieces(body)
    for index, piece in enumerate(pieces):
        more = index < len(pieces) - 1
        await send({"type": "http.response.body", "body": piece, "more_body": more})
        if more:
            await asyncio.sleep(DRIP_STEP_SECONDS)


async def _drip_raw(write: Callable[[bytes], None], reply: Reply) -> None:
    """Write the status line and headers a few bytes at a time, then the body at once."""
    head = b"HTTP/1.1 200 OK\r\n" + b"".join(k + b": " + v + b"\r\n" for k, v in _head(reply))
    for piece in _drip_pieces(head + b"\r\n"):
        write(piece)
        await asyncio.sleep(DRIP_STEP_SECONDS)
    write(reply.body)
