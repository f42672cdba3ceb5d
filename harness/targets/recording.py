"""Recording the harness's own calls to the issuer (discovery, token requests), redacted.

The token endpoint's traffic is full of credentials: client secrets in Basic headers (RFC 6749
§2.3.1), signed assertions in the form (RFC 7523 §2.1, replayable until they expire), tokens in
the answer (RFC 6749 §5.1). Each is registered with the run's `Redactor` before the exchange
is kept, so the report can show the exchange without them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harness.model.results import Exchange, clip_body
from harness.redaction import Redactor

SECRET_FORM_FIELDS = frozenset(
    {"assertion", "client_assertion", "client_secret", "token", "password", "refresh_token"}
)
SECRET_JSON_MEMBERS = ("access_token", "id_token", "refresh_token")
TIMEOUT_S = 10.0


def recording_client(redactor: Redactor, sink: list[Exchange]) -> httpx.Client:
    """A client whose every exchange lands in ``sink``, secrets registered and redacted."""

    def on_response(response: httpx.Response) -> None:
        response.read()
        sink.append(exchange_of(response, redactor))

    return httpx.Client(timeout=TIMEOUT_S, event_hooks={"response": [on_response]})


class IssuerTraffic:
    """The APIs' calls to the issuer during a run, redacted, in order (thread-safe).

    Filled from either side: the mock issuer's own app (`record_introspection`), which sees
    every API, subjects included; or, against a live issuer, the in-process APIs' transport
    (`RecordingTransport`). A subject talking to a live issuer is seen by neither.
    """

    def __init__(self) -> None:
        self._exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    def add(self, exchange: Exchange) -> None:
        """Keep one exchange (already redacted)."""
        with self._lock:
            if len(self._exchanges) < MAX_EXCHANGES:
                self._exchanges.append(exchange)

    def mark(self) -> int:
        """The position now, for `since`."""
        with self._lock:
            return len(self._exchanges)

    def since(self, mark: int) -> tuple[Exchange, ...]:
        """The exchanges kept after ``mark``."""
        with self._lock:
            return tuple(self._exchanges[mark:])


MAX_EXCHANGES = 50_000


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
            self.body.extend(message.get("body", b""))
            return message

        return reading

    def sending(self, send: Send) -> Send:
        async def sent(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.headers.extend(message.get("headers", []))
            elif message["type"] == "http.response.body":
                self.answer.extend(message.get("body", b""))
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
            content=bytes(self.answer),
            request=request,
        )


def record_introspection(
    app: ASGIApp, path: str, redactor: Redactor, sink: Callable[[Exchange], None]
) -> ASGIApp:
    """Wrap the issuer's app so every ``POST path`` (RFC 7662 §2.1) lands in ``sink``, redacted."""

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != path:
            await app(scope, receive, send)
            return
        tap = _Tap()
        await app(scope, tap.receiving(receive), tap.sending(send))
        sink(exchange_of(tap.response(scope, path), redactor))

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

    def __init__(self, redactor: Redactor, sink: Callable[[Exchange], None]) -> None:
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
        self._sink(exchange_of(answer, self._redactor))
        return answer

    def _failed(self, request: httpx.Request, exc: httpx.HTTPError) -> Exchange:
        body = request.content.decode("utf-8", "replace")
        _register_form_secrets(body, self._redactor)
        return Exchange(
            method=request.method,
            url=str(request.url),
            request_headers=_headers(request.headers, self._redactor, _REQUEST_HEADERS),
            request_body=clip_body(self._redactor.redact(body)),
            error=self._redactor.redact(f"{type(exc).__name__}: {exc}"),
        )

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._inner.aclose()


_REQUEST_HEADERS = ("authorization", "content-type")


def exchange_of(response: httpx.Response, redactor: Redactor) -> Exchange:
    """The request and response as an `Exchange`, after registering the secrets they carry."""
    request = response.request
    _register_form_secrets(request.content.decode("utf-8", "replace"), redactor)
    text = _recorded_text(response)
    _register_json_secrets(text, redactor)
    return Exchange(
        method=request.method,
        url=str(request.url),
        request_headers=_headers(request.headers, redactor, _REQUEST_HEADERS),
        request_body=clip_body(redactor.redact(request.content.decode("utf-8", "replace"))),
        status=response.status_code,
        response_headers=_headers(response.headers, redactor, ("content-type",)),
        response_body=clip_body(redactor.redact(text)),
    )


MAX_RECORDED_BODY = 64 * 1024


def _recorded_text(response: httpx.Response) -> str:
    """The body as text, never expanded and at most :data:`MAX_RECORDED_BODY` bytes read.

    A lying issuer answers with a gzip bomb or 30 MB (see ``mock_issuer.lies``): decoding or
    redacting all of it would stall the issuer this recorder wraps.
    """
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        return f"[a {encoding}-compressed body, not expanded]"
    raw = response.content
    if len(raw) <= MAX_RECORDED_BODY:
        return response.text
    return raw[:MAX_RECORDED_BODY].decode("utf-8", "replace") + f"... [{len(raw)} bytes]"


def _headers(headers: httpx.Headers, redactor: Redactor, names: tuple[str, ...]) -> dict[str, str]:
    return {n: redactor.redact_header(n, headers[n]) for n in names if n in headers}


def _register_form_secrets(body: str, redactor: Redactor) -> None:
    for name, value in parse_qsl(body, keep_blank_values=True):
        if name in SECRET_FORM_FIELDS:
            redactor.add(value)
            redactor.add(urlencode({name: value}).split("=", 1)[1])


def _register_json_secrets(body: str, redactor: Redactor) -> None:
    try:
        data = json.loads(body)
    except ValueError:
        return
    if isinstance(data, dict):
        for name in SECRET_JSON_MEMBERS:
            value = data.get(name)
            if isinstance(value, str):
                redactor.add(value)
