"""The API's default transport (aiohttp under httpx) on real loopback sockets: answers read as
with httpx's own transport, and each failure has httpx's own exception class."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from oauthkit import issuer_client

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[str]:
    """A one-behaviour HTTP server on a free loopback port; every connection closed at the end."""
    tasks: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tasks.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/introspect"
    finally:
        server.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


async def _request_head(reader: asyncio.StreamReader) -> None:
    await reader.readuntil(b"\r\n\r\n")


async def answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _request_head(reader)
    writer.write(OK + b'{"active":true}')
    await writer.drain()


async def drops(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _request_head(reader)
    writer.transport.abort()


async def cuts_the_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _request_head(reader)
    writer.write(OK + b'{"act')
    await writer.drain()
    writer.transport.abort()


async def stalls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _request_head(reader)
    await asyncio.sleep(5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_an_answer_is_read_with_its_status_headers_and_body() -> None:
    async with serving(answers) as url, issuer_client(5.0) as http:
        response = await http.post(url, data={"token": "t"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"active": True}


async def test_a_refused_connection_is_a_connect_error_not_a_timeout() -> None:
    async with issuer_client(5.0) as http:
        with pytest.raises(httpx.ConnectError):
            await http.post(f"http://127.0.0.1:{free_port()}/introspect", data={"token": "t"})


@pytest.mark.parametrize("handler", [drops, cuts_the_body], ids=["no-answer", "cut-body"])
async def test_a_dropped_connection_is_a_transport_error_not_a_timeout(handler: Handler) -> None:
    async with serving(handler) as url, issuer_client(5.0) as http:
        with pytest.raises(httpx.TransportError) as raised:
            await http.post(url, data={"token": "t"})
    assert not isinstance(raised.value, httpx.TimeoutException)


async def test_a_stalled_answer_is_a_read_timeout() -> None:
    async with serving(stalls) as url, issuer_client(0.2) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post(url, data={"token": "t"})


async def test_a_streamed_answer_is_read_in_chunks() -> None:
    async with (
        serving(answers) as url,
        issuer_client(5.0) as http,
        http.stream("POST", url, data={"token": "t"}) as response,
    ):
        chunks = [chunk async for chunk in response.aiter_bytes()]
    assert b"".join(chunks) == b'{"active":true}'
