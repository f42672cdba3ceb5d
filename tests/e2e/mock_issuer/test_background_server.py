"""BackgroundServer: a real uvicorn server on a free loopback port, in a thread."""

from __future__ import annotations

import socket

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from mock_issuer.server import KEEP_ALIVE_S, BackgroundServer, DropConnection

pytestmark = pytest.mark.e2e


async def _hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse("hello")


HELLO = Starlette(routes=[Route("/", _hello)])


async def _dropping_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise DropConnection()


def test_port_zero_binds_a_free_port_known_before_the_first_request() -> None:
    with BackgroundServer(HELLO) as server:
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert httpx.get(server.url + "/").text == "hello"


def test_stop_is_idempotent_and_the_port_stops_answering() -> None:
    server = BackgroundServer(HELLO).start()
    url = server.url
    server.stop()
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/", timeout=2)


def test_a_busy_port_fails_start_with_an_actionable_message() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(RuntimeError, match=f"Cannot listen on 127.0.0.1:{port}.*free one"):
            BackgroundServer(HELLO, port=port).start()


def test_drop_connection_closes_the_socket_without_any_response() -> None:
    with BackgroundServer(_dropping_app) as server, pytest.raises(httpx.TransportError):
        httpx.get(server.url + "/", timeout=5)


def test_port_before_start_is_an_error_that_says_to_start() -> None:
    with pytest.raises(RuntimeError, match="after start"):
        _ = BackgroundServer(HELLO).port


def test_an_idle_kept_alive_connection_stays_open_a_minute_not_uvicorn_s_five_seconds() -> None:
    # At 5 s, a client idle that long sent its next request as the server closed the
    # connection, and lost it (the harness's token client did, under load).
    with BackgroundServer(HELLO) as server:
        assert server._server is not None
        assert server._server.config.timeout_keep_alive == KEEP_ALIVE_S >= 60
