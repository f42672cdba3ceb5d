"""Taps on the APIs' calls to their issuer: the mock's app, or an in-process API's transport.

The mock issuer's app is wrapped so every introspection request (RFC 7662 §2.1) and its answer
land, redacted, in the run's `IssuerTraffic`, whichever API sent it (subjects included); against
a live issuer, the in-process APIs' transport does the same. Bodies are kept to their first
`READ_BODY_BYTES` (a lying issuer answers 30 MB or a gzip bomb).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harness.model.bounds import READ_BODY_BYTES, SHOWN_BODY, SHOWN_HEADER, SHOWN_URL
from harness.model.results import Exchange
from harness.redaction import Redactor
from harness.targets.recording import (
    REQUEST_HEADERS,
    Recorded,
    later_exchange,
    register_form_secrets,
    shown_headers,
)


@dataclass
class _Tap:
    """What passed through the wrapped app for one request: the body each way, the status."""

    body: bytearray = field(default_factory=bytearray)
    answer: bytearray = field(default_factory=bytearray)
    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)

    def receiving(self, receive: Receive) -> Receive:
        async def reading() -> Message:
            message = await receive()
            _bounded_extend(self.body, message.get("body", b""))
            return message

        return reading

    def sending(self, send: Send) -> Send:
        async def sent(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.headers.extend(message.get("headers", []))
            elif message["type"] == "http.response.body":
                _bounded_extend(self.answer, message.get("body", b""))
            await send(message)

        return sent

    def response(self, scope: Scope, path: str) -> httpx.Response:
        """The request and its answer, as httpx would have seen them."""
        request = httpx.Request(
            scope["method"],
            f"{scope.get('scheme', 'http')}://{_host(scope)}{path}",
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
            content=bytes(self.body),
        )
        return httpx.Response(
            self.status,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in self.headers],
            stream=_Unread(bytes(self.answer)),
            request=request,
        )


class _Unread(httpx.SyncByteStream):
    """The answer's bytes as sent, not read into the response when it is made: httpx decodes
    `content=` at once by its ``Content-Encoding``, and 256 KiB of a gzip bomb is 256 MB."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    def __iter__(self) -> Iterator[bytes]:
        yield self._raw


def _bounded_extend(kept: bytearray, chunk: bytes) -> None:
    """Keep the first `READ_BODY_BYTES` of a body (a lie of 30 MB is not kept whole)."""
    room = READ_BODY_BYTES - len(kept)
    if room > 0:
        kept.extend(chunk[:room])


def record_introspection(
    app: ASGIApp, path: str, redactor: Redactor, sink: Callable[[Recorded], None]
) -> ASGIApp:
    """Wrap the issuer's app so every ``POST path`` (RFC 7662 §2.1) lands in ``sink``: its
    secrets registered at once, the rest redacted when it is shown."""

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != path:
            await app(scope, receive, send)
            return
        tap = _Tap()
        await app(scope, tap.receiving(receive), tap.sending(send))
        sink(later_exchange(tap.response(scope, path), redactor))

    return recording


def _host(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"host":
            return str(value.decode("latin-1"))
    server = scope.get("server") or ("127.0.0.1", 0)
    return f"{server[0]}:{server[1]}"


class RecordingTransport(httpx.AsyncBaseTransport):
    """An API's transport to its issuer that hands each exchange, redacted, to ``sink``.

    Lets a report show the API's own introspection request and the issuer's answer (RFC 7662
    §2.1/§2.2) beside the client's exchange with the API, without the API's cooperation.
    """

    def __init__(self, redactor: Redactor, sink: Callable[[Recorded], None]) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._redactor = redactor
        self._sink = sink

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Forward the request; record it with the answer or the transport error."""
        try:
            response = await self._inner.handle_async_request(request)
            # Raw bytes: the answer below decodes them once, by its own headers.
            content = b"".join([chunk async for chunk in response.aiter_raw()])
            await response.aclose()
        except httpx.HTTPError as exc:
            self._sink(self._failed(request, exc))
            raise
        answer = httpx.Response(
            response.status_code, headers=response.headers, content=content, request=request
        )
        self._sink(later_exchange(answer, self._redactor))
        return answer

    def _failed(self, request: httpx.Request, exc: httpx.HTTPError) -> Exchange:
        body = request.content.decode("utf-8", "replace")
        register_form_secrets(body, self._redactor)
        return Exchange(
            method=request.method,
            url=self._redactor.shown(str(request.url), SHOWN_URL),
            request_headers=shown_headers(request.headers, self._redactor, REQUEST_HEADERS),
            request_body=self._redactor.shown(body, SHOWN_BODY),
            error=self._redactor.shown(f"{type(exc).__name__}: {exc}", SHOWN_HEADER),
        )

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._inner.aclose()
