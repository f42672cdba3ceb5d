"""How each lie bends the true answer (RFC 7662 §2.2, RFC 8414 §3.2): the bodies it sends.

Bodies are built as text, since several lies are JSON that Python's encoder would not write
(duplicate members, ``NaN``, ``1e400``). :func:`reply_for` is the one entry: the true answer's
JSON body in, the :class:`Reply` to send instead out.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from mock_issuer.lies import LieKind

ROLES_CLAIM = "urn:zitadel:iam:org:project:roles"
FOREIGN_AUDIENCE = "999999999999999999"
FOREIGN_ISSUER = "https://elsewhere.example"
ELSEWHERE_PATH = "/elsewhere/introspect"
NESTING_DEPTH = 100_000
HUGE_BODY_BYTES = 30 * 1024 * 1024
BOMB_EXPANDED_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Reply:
    """An answer as the lie layer sends it: status, headers, body chunks, pause between."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    drip: bool = False


def _text(members: dict[str, Any], extra: str = "") -> bytes:
    body = json.dumps(members)
    if extra:
        body = body[:-1] + (", " if members else "") + extra + "}"
    return body.encode()


def _huge(members: dict[str, Any]) -> bytes:
    """The answer padded to `HUGE_BODY_BYTES`: its 30 MB joined once, as bytes, from padding
    made once (json.dumps would scan them for characters to escape; text, copy them thrice)."""
    head = _text(members, '"padding": "')[:-1]
    return b"".join((head, _padding(HUGE_BODY_BYTES - len(head) - 2), b'"}'))


@cache
def _padding(size: int) -> bytes:
    return b"x" * size


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


def _is_roles(name: str) -> bool:
    """The generic roles claim or a project's own (``urn:zitadel:iam:org:project:{id}:roles``)."""
    return name == ROLES_CLAIM or (
        name.startswith("urn:zitadel:iam:org:project:") and name.endswith(":roles")
    )


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
    # One string in which the role's name is only part of a word (in every roles claim).
    LieKind.ROLES_WRONG_TYPE: lambda answer, now: _text(
        {k: "not-read:messages" if _is_roles(k) else v for k, v in answer.items()}
    ),
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
        return Reply(200, _huge(json.loads(real)))
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
