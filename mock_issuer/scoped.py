"""Faults and lies scoped to one token: the request's ``token`` form field, read ahead.

A fault or lie switched on with ``token=`` applies only to requests about that token (the
``token`` parameter of RFC 7662 §2.1 introspection and RFC 7009 §2.1 revocation), so tests
running side by side against one issuer each bend their own answers only. The layers read the
body ahead only while such a switch is on, and hand the endpoint a ``receive`` that replays it.
Records keep a digest of the token (`token_digest`), never the token.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope

from mock_issuer.forms import MAX_BODY_BYTES


def token_digest(token: str) -> str:
    """A short, one-way digest of a token, to tell records of one token from another's."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:16]


async def token_of(scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
    """The request's ``token`` form field (None if absent or unreadable), and a ``receive``
    that replays what was read (at most :data:`MAX_BODY_BYTES` of the body) to the app."""
    if scope.get("method") != "POST":
        return None, receive
    read: list[Message] = []
    size = 0
    while size <= MAX_BODY_BYTES:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
        size += len(message.get("body", b""))

    async def replay() -> Message:
        return read.pop(0) if read else await receive()

    body = b"".join(m.get("body", b"") for m in read if m["type"] == "http.request")
    fields = dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
    return fields.get("token") or None, replay
