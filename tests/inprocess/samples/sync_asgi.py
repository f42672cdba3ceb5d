"""A blocking `httpx` transport into an ASGI app, so the blocking grants can run in-process.

`httpx.ASGITransport` serves async clients only, and Starlette's TestClient warns about httpx.
Each request runs the app on a fresh event loop in a worker thread, which also works when the
caller is itself inside a running loop (an async test).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from starlette.types import ASGIApp


class SyncASGITransport(httpx.BaseTransport):
    """Hands each request to `app` through `httpx.ASGITransport` on a worker thread."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = httpx.ASGITransport(app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self._send(request)).result()

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content)
