"""Run an ASGI app as a real HTTP server on loopback, in a background thread.

Used by the mock issuer, the harness targets and the end-to-end tests. The listening socket is
bound before uvicorn starts, so ``port=0`` picks a free port and the port is known at once.

Besides serving, the server understands one extra signal from the app: raising
:class:`DropConnection` (before any response is sent) closes the TCP connection without an
answer, so a client sees a transport error, as when an issuer crashes mid-request
(RFC 9110 §9.2.2 leaves such a request's outcome unknown to the client).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Any, Literal

import uvicorn
from starlette.types import ASGIApp
from uvicorn._types import ASGI3Application, ASGIReceiveCallable, ASGISendCallable, Scope
from uvicorn.protocols.http.h11_impl import H11Protocol

_START_TIMEOUT = 10.0
# An idle kept-alive connection is closed after this long. Uvicorn's 5 s raced the clients: a
# request sent as the server closed its connection was lost (httpx does not resend a POST),
# and the harness's token client, idle a few seconds between two grants, met it under load.
KEEP_ALIVE_S = 60
_STOP_TIMEOUT = 10.0


class DropConnection(Exception):
    """Raised by an ASGI app to make the server close the connection without answering.

    Under :class:`BackgroundServer` the client sees a connection error. Under
    ``httpx.ASGITransport`` (in-process) the exception itself reaches the caller.
    """


RAW_WRITE = "mock_issuer.raw_write"
"""Scope extension: write bytes straight to the socket (to drip a response's head)."""


class RawResponseSent(Exception):
    """Raised by an app that wrote its whole response through :data:`RAW_WRITE`."""


class _DropAware:
    """Mixed into uvicorn's HTTP protocols: a :class:`DropConnection` from the app closes the
    socket, :data:`RAW_WRITE` reaches it, and responses go out without Nagle's delay."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        protocol: Any = self
        protocol.app = self._drop_aware(protocol.app)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvicorn writes a response's head and body separately; on a kept-alive loopback
        # connection the body would wait ~40 ms for the client's delayed ACK.
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[misc]

    def _drop_aware(self, app: ASGI3Application) -> ASGI3Application:
        protocol: Any = self

        async def wrapped(
            scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable
        ) -> None:
            if scope["type"] == "http":
                extensions: dict[str, Any] = dict(scope.get("extensions") or {})
                extensions[RAW_WRITE] = protocol.transport.write
                scope["extensions"] = extensions
            try:
                await app(scope, receive, send)
            except DropConnection:
                # Marking the cycle disconnected stops uvicorn from sending its own 500.
                if protocol.cycle is not None:
                    protocol.cycle.disconnected = True
                protocol.transport.abort()
            except RawResponseSent:
                if protocol.cycle is not None:
                    protocol.cycle.disconnected = True
                protocol.transport.close()  # flushes what was written, then closes

        return wrapped


class _DroppingH11Protocol(_DropAware, H11Protocol):
    """uvicorn's pure-Python h11 protocol, drop-aware (where httptools is not installed)."""


def _protocol() -> type[asyncio.Protocol]:
    # httptools' C parser costs the mock about half the CPU per request of h11's; the
    # behaviour the tests rely on (drops, raw writes) is the mixin's, the same on both.
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return _DroppingH11Protocol

    class _DroppingHttpToolsProtocol(_DropAware, HttpToolsProtocol):
        """uvicorn's httptools protocol, drop-aware."""

    return _DroppingHttpToolsProtocol


_PROTOCOL = _protocol()


class BackgroundServer:
    """An ASGI app served by uvicorn in a daemon thread; a context manager.

    ``BackgroundServer(app).start()`` returns once the server accepts connections (after the
    app's lifespan startup, when it has one); ``stop()`` shuts it down gracefully and may be
    called more than once.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        lifespan: Literal["auto", "on", "off"] = "auto",
    ) -> None:
        self._app = app
        self._lifespan = lifespan
        self._host = host
        self._requested_port = port
        self._log_level = log_level
        self._socket: socket.socket | None = None
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return self._host

    @property
    def port(self) -> int:
        """The bound port (the real one when 0 was asked); only valid after :meth:`start`."""
        if self._port is None:
            raise RuntimeError("BackgroundServer.port is only known after start(); call start().")
        return self._port

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    def start(self) -> BackgroundServer:
        """Bind, start serving in a thread and wait until the server is ready."""
        if self._thread is not None:
            raise RuntimeError("BackgroundServer.start() called twice; create a new server.")
        self._socket = self._bind()
        self._port = int(self._socket.getsockname()[1])
        self._server = uvicorn.Server(self._config())
        self._thread = threading.Thread(target=self._run, name=f"uvicorn-{self.port}", daemon=True)
        self._thread.start()
        self._wait_started()
        return self

    def stop(self) -> None:
        """Shut down gracefully and wait for the thread; safe to call twice."""
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(_STOP_TIMEOUT)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(_STOP_TIMEOUT)
        self._server = None
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, self._requested_port))
        except OSError as exc:
            sock.close()
            raise RuntimeError(
                f"Cannot listen on {self._host}:{self._requested_port}: {exc.strerror}. "
                "Pick another port (0 picks a free one)."
            ) from exc
        return sock

    def _config(self) -> uvicorn.Config:
        return uvicorn.Config(
            self._app,
            http=_PROTOCOL,
            ws="none",
            lifespan=self._lifespan,
            log_config=None,
            log_level=self._log_level,
            access_log=self._log_level in ("debug", "trace"),
            timeout_graceful_shutdown=2,
            timeout_keep_alive=KEEP_ALIVE_S,
        )

    def _run(self) -> None:
        assert self._server is not None and self._socket is not None
        try:
            self._server.run(sockets=[self._socket])
        except BaseException as exc:
            self._failure = exc

    def _wait_started(self) -> None:
        assert self._server is not None and self._thread is not None
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                reason = repr(self._failure) if self._failure else "it did not start in time"
                self.stop()
                raise RuntimeError(f"Server on {self._host}:{self.port} failed to start: {reason}")
            time.sleep(0.005)
