"""Talking HTTP to the issuer: explicit timeouts, and transport failures as `IssuerError`s.

RFC 6749 §5 (https://www.rfc-editor.org/rfc/rfc6749#section-5) and RFC 7662 §2.2 answer with
`application/json` objects; anything else, and any network failure, means the issuer gave no
usable answer. Callers inject the transport (`httpx.MockTransport`, `httpx.ASGITransport`) so
tests need no patching; this module only turns failures into errors that name the URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from oauthkit.errors import IssuerFailed, IssuerUnreachable


def timeout(seconds: float) -> httpx.Timeout:
    """An explicit timeout for every phase of a request (connect, write, read, pool)."""
    return httpx.Timeout(seconds)


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


def json_object(response: httpx.Response, action: str) -> dict[str, Any]:
    """The response body as a JSON object; `IssuerFailed` naming the URL if it is not one."""
    where = f"{action} at {response.request.url} answered {response.status_code}"
    try:
        data = json.loads(response.content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IssuerFailed(f"{where} with a body that is not JSON") from None
    if not isinstance(data, dict):
        raise IssuerFailed(f"{where} with JSON that is not an object")
    return data
