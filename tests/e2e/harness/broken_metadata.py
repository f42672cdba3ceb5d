"""api_basic_auth broken on purpose for the protected resource metadata checks (RFC 9728).

Each rewrites what the sample says of itself, not what it does: its challenges name a metadata
URL that serves nothing; its metadata names another resource; its metadata names another
issuer and says it takes tokens in the query, which it refuses. Module-level, so they pickle.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

import api_basic_auth.app
from oauthkit import ApiSettings

WELL_KNOWN = b"/.well-known/oauth-protected-resource"
Change = Callable[[dict[str, Any]], None]


class _Rewritten:
    """Changes the metadata documents with ``change``, and ``/.well-known/...`` in challenges
    into ``named`` (when given)."""

    def __init__(self, app: ASGIApp, change: Change | None, named: bytes = b"") -> None:
        self.app, self.change, self.named = app, change, named

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        metadata = scope["type"] == "http" and scope["path"].startswith(WELL_KNOWN.decode())
        held: list[Message] = []

        async def rewritten(message: Message) -> None:
            if message["type"] == "http.response.start" and self.named:
                message["headers"] = [
                    (k, v.replace(WELL_KNOWN, self.named) if k == b"www-authenticate" else v)
                    for k, v in message["headers"]
                ]
            if not (metadata and self.change):
                return await send(message)
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                await self._send_changed(held, send)

        await self.app(scope, receive, rewritten)

    async def _send_changed(self, held: list[Message], send: Send) -> None:
        start, body = held[0], b"".join(m.get("body", b"") for m in held[1:])
        if start["status"] == 200 and self.change is not None:
            document = json.loads(body)
            self.change(document)
            body = json.dumps(document).encode()
        headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _another_resource(document: dict[str, Any]) -> None:
    document["resource"] = "https://api.example.com/api/private"


def _another_issuer_and_the_query(document: dict[str, Any]) -> None:
    document["authorization_servers"] = ["https://issuer.example.com"]
    document["bearer_methods_supported"] = ["header", "query"]


def names_missing_metadata(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, its challenges naming ``/.well-known/nothing-here/...``."""
    return _Rewritten(api_basic_auth.app.create_app(settings), None, b"/.well-known/nothing-here")


def metadata_for_another_resource(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, its metadata naming ``https://api.example.com/api/private``."""
    return _Rewritten(api_basic_auth.app.create_app(settings), _another_resource)


def metadata_overstated(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, its metadata naming another issuer and query tokens, which it refuses."""
    return _Rewritten(api_basic_auth.app.create_app(settings), _another_issuer_and_the_query)
