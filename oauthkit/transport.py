"""Talking HTTP to the issuer: explicit timeouts, and transport failures as `IssuerError`s.

RFC 6749 §5 (https://www.rfc-editor.org/rfc/rfc6749#section-5) and RFC 7662 §2.2 answer with
`application/json` objects; anything else, and any network failure, means the issuer gave no
usable answer. Callers inject the transport (`httpx.MockTransport`, `httpx.ASGITransport`) so
tests need no patching; this module turns failures into errors that name the URL, and builds
an API's client, which speaks over aiohttp unless a transport is injected
(`oauthkit.aiohttp_transport`).

An issuer that lies must not hold an API hostage: `deadline` bounds a whole exchange (a body
dripped one byte at a time beats every per-read timeout), and `send_capped` reads at most
`max_bytes` of an uncompressed answer (it asks for `identity` and refuses a compressed one,
since a small gzip body can expand to gigabytes), so memory stays bounded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx

from oauthkit import strict_json
from oauthkit.errors import IssuerFailed, IssuerUnreachable

DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024


def timeout(seconds: float) -> httpx.Timeout:
    """An explicit timeout for every phase of a request (connect, write, read, pool)."""
    return httpx.Timeout(seconds)


def issuer_client(
    seconds: float, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """An API's client for its calls to the issuer: `transport`, or aiohttp's by default."""
    # Imported here: the service-user clients, which use this module too, never load aiohttp.
    from oauthkit.aiohttp_transport import IssuerTransport

    return httpx.AsyncClient(transport=transport or IssuerTransport(), timeout=timeout(seconds))


@contextmanager
def issuer_call(action: str, url: str) -> Iterator[None]:
    """Turn httpx's transport failures inside the block into `IssuerUnreachable` naming `url`."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise IssuerUnreachable(f"{action} at {url} timed out ({type(exc).__name__})") from None
    except httpx.HTTPError as exc:
        raise IssuerUnreachable(
            f"{action} at {url} failed: {type(exc).__name__} (is the issuer running and the "
            "URL right?)"
        ) from None


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


async def send_capped(
    http: httpx.AsyncClient, request: httpx.Request, max_bytes: int
) -> httpx.Response:
    """Send `request`, reading at most `max_bytes` of an uncompressed body.

    `IssuerFailed` when the body is larger or compressed (`Accept-Encoding: identity` was sent).
    """
    request.headers["Accept-Encoding"] = "identity"
    response = await http.send(request, stream=True)
    try:
        where = f"{request.url} answered {response.status_code}"
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding != "identity":
            raise IssuerFailed(f"{where} compressed ({encoding}) although identity was asked")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise IssuerFailed(f"{where} with {declared} bytes (more than {max_bytes})")
        body = await _read_at_most(response, max_bytes, where)
    finally:
        await response.aclose()
    return httpx.Response(
        response.status_code, headers=response.headers, content=bytes(body), request=request
    )


async def _read_at_most(response: httpx.Response, max_bytes: int, where: str) -> bytes:
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            body.extend(chunk)
            if len(body) > max_bytes:
                raise IssuerFailed(f"{where} with more than {max_bytes} bytes")
    except httpx.StreamConsumed:  # an in-memory response (httpx.MockTransport)
        body = bytearray(response.content)
    if len(body) > max_bytes:
        raise IssuerFailed(f"{where} with more than {max_bytes} bytes")
    return bytes(body)


def json_object(response: httpx.Response, action: str) -> dict[str, Any]:
    """The response body as a JSON object; `IssuerFailed` naming the URL if it is not one.

    The media type must be JSON and the text strict JSON (`oauthkit.strict_json`).
    """
    where = f"{action} at {response.request.url} answered {response.status_code}"
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise IssuerFailed(f"{where} with Content-Type {media or '(none)'!r}, not JSON")
    try:
        data = strict_json.loads(response.content)
    except strict_json.StrictJsonError as exc:
        raise IssuerFailed(f"{where} with a body that is not usable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise IssuerFailed(f"{where} with JSON that is not an object")
    return data
