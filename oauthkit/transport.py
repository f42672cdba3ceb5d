"""Talking HTTP to the issuer: explicit timeouts, and every transport failure an `IssuerError`.

RFC 6749 §5 (https://www.rfc-editor.org/rfc/rfc6749#section-5) and RFC 7662 §2.2 answer with
`application/json` objects; anything else, and any network failure, means the issuer gave no
usable answer. Callers inject the transport (`httpx.MockTransport`, `httpx.ASGITransport`) so
tests need no patching; this module builds an API's client, which speaks over aiohttp unless a
transport is injected (`oauthkit.aiohttp_transport`, which names aiohttp's failures as httpx's
own), and turns every httpx failure (refused or dropped connections, timeouts, malformed
framing, undecodable bodies) into `IssuerUnreachable` naming the URL and the cause. How much is
read, and for how long, is `oauthkit.fetch`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from oauthkit import strict_json
from oauthkit.errors import IssuerFailed, IssuerUnreachable

_NOT_PRINTABLE = re.compile(r"[^\x20-\x7e]")
MAX_CAUSE_LENGTH = 80


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
    """Turn httpx's failures inside the block into `IssuerUnreachable` naming `url` and why."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise IssuerUnreachable(f"{action} at {url} timed out ({type(exc).__name__})") from None
    except (httpx.RemoteProtocolError, httpx.DecodingError) as exc:
        raise IssuerUnreachable(
            f"{action} at {url} failed: {cause(exc)} (the answer is not well-formed HTTP/1.1)"
        ) from None
    except httpx.HTTPError as exc:
        raise IssuerUnreachable(
            f"{action} at {url} failed: {type(exc).__name__} (is the issuer running and the "
            "URL right?)"
        ) from None


def cause(exc: Exception) -> str:
    """The failure's class and the first words of its message, for a log line.

    Only the words before the first colon: parsers quote the offending bytes after it, and those
    are the issuer's, so they stay out of the logs.
    """
    words = str(exc).split("\n", 1)[0].split(":", 1)[0]
    words = _NOT_PRINTABLE.sub("?", words).strip()[:MAX_CAUSE_LENGTH]
    return f"{type(exc).__name__}: {words}" if words else type(exc).__name__


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
