"""Sample APIs broken on purpose for the lying-issuer, odd-request, issuer-call and propagation
families; each defect is one a real resource server has had.

Module-level factories, so they pickle into worker processes (see `broken_apis.py`).
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

from oauthkit import ApiSettings

from .broken_apis import _create


class _Rewriting(httpx.AsyncBaseTransport):
    """A transport to the issuer that changes introspection requests or answers."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/introspect"):
            return await self._inner.handle_async_request(request)
        response = await self._inner.handle_async_request(self.request(request))
        return await self.answer(response)

    def request(self, request: httpx.Request) -> httpx.Request:
        return request

    async def answer(self, response: httpx.Response) -> httpx.Response:
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class _TruthyActive(_Rewriting):
    """Reads `active` as Python truthiness, as `if answer["active"]:` does."""

    async def answer(self, response: httpx.Response) -> httpx.Response:
        body = await response.aread()
        try:
            data = json.loads(body)
        except ValueError:
            return httpx.Response(response.status_code, headers=response.headers, content=body)
        if isinstance(data, dict) and "active" in data:
            data["active"] = bool(data["active"])
        return httpx.Response(response.status_code, json=data)


def truthy_active(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, but `"true"`, `1` or `[true]` count as active."""
    return _create(settings, transport=_TruthyActive())


class _DropsFirst(_Rewriting):
    """Loses its first introspection request, as a kept connection the issuer closed does: the
    API answers 503 without having asked (a Go client does not retry a POST on one)."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/introspect") and not self.dropped:
            self.dropped = True
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return await super().handle_async_request(request)


def drops_first_introspection(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, but its first introspection request is lost on the way."""
    return _create(settings, transport=_DropsFirst())


class _UnencodedBasic(_Rewriting):
    """Sends the Basic credentials as raw `id:secret`, without RFC 6749 §2.3.1's encoding."""

    def request(self, request: httpx.Request) -> httpx.Request:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return request
        user, _, password = base64.b64decode(value).decode().partition(":")
        raw = f"{unquote_plus(user)}:{unquote_plus(password)}".encode()
        request.headers["authorization"] = "Basic " + base64.b64encode(raw).decode()
        return request


def unencoded_basic(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, but its Basic header is not form-urlencoded (zitadel-go #578)."""
    return _create(settings, transport=_UnencodedBasic())


def reads_query_tokens(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample behind a shim that takes `?access_token=` when there is no header."""
    app = _create(settings)

    async def shim(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            tokens = [v for k, v in query if k == "access_token"]
            headers = list(scope["headers"])
            if tokens and not any(k == b"authorization" for k, _ in headers):
                headers.append((b"authorization", f"Bearer {tokens[0]}".encode()))
            rest = urlencode([(k, v) for k, v in query if k != "access_token"])
            scope = {**scope, "headers": headers, "query_string": rest.encode()}
        await app(scope, receive, send)

    return shim


def caches_for_a_minute(settings: ApiSettings[Any]) -> ASGIApp:
    """The sample, but it caches every answer for 60 s whatever it was configured with."""
    return _create(dataclasses.replace(settings, introspection_cache_ttl=60.0))
