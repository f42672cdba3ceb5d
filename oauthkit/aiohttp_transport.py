"""The API's transport to the issuer: aiohttp's HTTP/1.1 client under httpx's API.

An API makes one introspection request (RFC 7662 §2.1,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1) per token it has not cached, so the client's
own cost per request is most of the API's. `httpx-aiohttp` runs httpx requests over aiohttp's
client, whose HTTP parser and connection pool are written in C/Cython; httpx's pure-Python
stack (httpcore, h11) cost the API about twice the CPU per introspected request (see
`benchmarks/README.md`). Everything above the transport (timeouts, `stream()`, exceptions)
stays httpx's.

Two corrections, in the request and while the body is read:

- httpx-aiohttp 0.2.0 maps every aiohttp connection failure to `httpx.ConnectTimeout`, so a
  refused or dropped connection would read as a timeout. They are named here as httpx's own
  transport names them (`ConnectError`, `RemoteProtocolError`, `ReadError`, `ReadTimeout`),
  from the aiohttp exception that caused them.
- It lets aiohttp's own errors through unmapped, among them `ClientResponseError` for every
  answer its parser refuses (a garbage status line, a header without a colon, a bad or doubled
  `Content-Length`, broken chunking, too many headers, an HTTP/0.9 answer, a NUL in a header).
  Every aiohttp error is an `httpx.TransportError` here (`RemoteProtocolError` for framing),
  whose message keeps the parser's words, so the rest of the code handles it as any other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import aiohttp
import httpx
from aiohttp.http_exceptions import HttpProcessingError
from httpx_aiohttp import AiohttpTransport

# Most specific first: the first class the aiohttp error is an instance of decides.
_PRECISE: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientConnectorError, httpx.ConnectError),
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
    (aiohttp.ClientConnectionError, httpx.ReadError),
)


@contextmanager
def _precise_errors(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except httpx.TransportError as exc:
        cause = exc.__cause__
        for aiohttp_error, httpx_error in _PRECISE:
            if isinstance(cause, aiohttp_error):
                raise httpx_error(str(exc) or type(cause).__name__, request=request) from cause
        raise
    except aiohttp.ClientResponseError as exc:  # the parser refused the answer's framing
        raise httpx.RemoteProtocolError(exc.message or "malformed answer", request=request) from exc
    except (aiohttp.ClientError, HttpProcessingError) as exc:
        for aiohttp_error, httpx_error in _PRECISE:
            if isinstance(exc, aiohttp_error):
                raise httpx_error(str(exc) or type(exc).__name__, request=request) from exc
        raise httpx.RemoteProtocolError(str(exc) or type(exc).__name__, request=request) from exc


class _PreciseStream(httpx.AsyncByteStream):
    """The response body, with aiohttp's failures named as in the request."""

    def __init__(self, stream: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _precise_errors(self._request):
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        with _precise_errors(self._request):
            await self._stream.aclose()


class IssuerTransport(httpx.AsyncBaseTransport):
    """httpx's `AsyncBaseTransport` over aiohttp, with precise exception classes."""

    def __init__(self) -> None:
        self._transport = AiohttpTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` over aiohttp; the body is read lazily, as with httpx's own."""
        with _precise_errors(request):
            response = await self._transport.handle_async_request(request)
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers.raw,
            stream=_PreciseStream(stream, request),
            request=request,
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        """Close aiohttp's session and its connections."""
        await self._transport.aclose()
