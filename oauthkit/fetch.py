"""One capped, deadlined fetch for everything oauthkit reads from an issuer.

Introspection answers (RFC 7662 §2.2), discovery documents (RFC 8414 §3), key sets
(RFC 7517 §5) and token answers (RFC 6749 §5) are all read the same way, so an issuer that lies
cannot hold an API hostage with any of them:

- a deadline bounds the whole exchange (`FetchLimits.deadline_s`): a body dripped one byte at a
  time beats every per-read timeout, not this;
- at most `FetchLimits.max_bytes` of the body are read: a declared `Content-Length` above it is
  refused before the body is read, a longer body as soon as it passes the cap;
- `Accept-Encoding: identity` is asked and a compressed answer refused, so nothing is ever
  inflated: a small gzip body can expand to gigabytes, and the cap holds after decompression
  because there is none;
- every transport failure is an `IssuerError` naming the URL (`oauthkit.transport`).

The APIs fetch with `fetch` (async, over their one client); the service-user clients with
`fetch_sync` (whose deadline is checked between reads, each read bounded by the client's
timeout).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from oauthkit.errors import IssuerFailed, IssuerUnreachable
from oauthkit.transport import issuer_call

DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024
DEFAULT_DEADLINE_S = 5.0


@dataclass(frozen=True)
class FetchLimits:
    """How long an exchange with the issuer may take in all, and how much of its answer is read."""

    deadline_s: float = DEFAULT_DEADLINE_S
    max_bytes: int = DEFAULT_MAX_ANSWER_BYTES


DEFAULT_LIMITS = FetchLimits()
"""5 s for the whole exchange, 1 MiB of answer."""


@asynccontextmanager
async def deadline(seconds: float, action: str, url: str) -> AsyncIterator[None]:
    """Bound everything inside the block to `seconds` in total; `IssuerUnreachable` past it."""
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        raise IssuerUnreachable(
            f"{action} at {url} did not complete within the {seconds:g} s deadline"
        ) from None


async def fetch(
    http: httpx.AsyncClient, request: httpx.Request, limits: FetchLimits, action: str
) -> httpx.Response:
    """Send `request` and read its answer within `limits`; `IssuerError` on any failure."""
    url = str(request.url)
    request.headers["Accept-Encoding"] = "identity"
    async with deadline(limits.deadline_s, action, url):
        with issuer_call(action, url):
            response = await http.send(request, stream=True)
            try:
                _check_head(response, limits.max_bytes)
                body = await _read_async(response, limits.max_bytes)
            finally:
                await response.aclose()
    return _complete(response, body)


def fetch_sync(
    http: httpx.Client, request: httpx.Request, limits: FetchLimits, action: str
) -> httpx.Response:
    """`fetch` for a blocking client; the deadline is checked as each chunk arrives."""
    url = str(request.url)
    request.headers["Accept-Encoding"] = "identity"
    ends = time.monotonic() + limits.deadline_s
    with issuer_call(action, url):
        response = http.send(request, stream=True)
        try:
            _check_head(response, limits.max_bytes)
            body = _read_sync(response, limits, ends, f"{action} at {url}")
        finally:
            response.close()
    return _complete(response, body)


def _check_head(response: httpx.Response, max_bytes: int) -> None:
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding != "identity":
        where = _where(response)
        raise IssuerFailed(f"{where} compressed ({encoding}) although identity was asked")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise IssuerFailed(f"{_where(response)} with {declared} bytes (more than {max_bytes})")


async def _read_async(response: httpx.Response, max_bytes: int) -> bytes:
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            _add(body, chunk, max_bytes, response)
    except httpx.StreamConsumed:  # an in-memory response (httpx.MockTransport)
        body = bytearray()
        _add(body, response.content, max_bytes, response)
    return bytes(body)


def _read_sync(response: httpx.Response, limits: FetchLimits, ends: float, action: str) -> bytes:
    body = bytearray()
    try:
        for chunk in response.iter_raw():
            _add(body, chunk, limits.max_bytes, response)
            if time.monotonic() > ends:
                raise IssuerUnreachable(
                    f"{action} did not complete within the {limits.deadline_s:g} s deadline"
                )
    except httpx.StreamConsumed:  # an in-memory response (httpx.MockTransport)
        body = bytearray()
        _add(body, response.content, limits.max_bytes, response)
    return bytes(body)


def _add(body: bytearray, chunk: bytes, max_bytes: int, response: httpx.Response) -> None:
    body.extend(chunk)
    if len(body) > max_bytes:
        raise IssuerFailed(f"{_where(response)} with more than {max_bytes} bytes")


def _where(response: httpx.Response) -> str:
    return f"{response.request.url} answered {response.status_code}"


def _complete(response: httpx.Response, body: bytes) -> httpx.Response:
    """The answer with its whole (capped) body, as if read in one go."""
    return httpx.Response(
        response.status_code, headers=response.headers, content=body, request=response.request
    )
