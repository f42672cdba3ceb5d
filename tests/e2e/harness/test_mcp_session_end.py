"""The MCP call ends its session with a DELETE, and does not wait long for its answer.

A check that slows the issuer slows the DELETE's introspection as much as the recorded
requests'; the call's result does not depend on it, so the call goes on after `END_WAIT_S`.
The server here holds the DELETE until the test lets it go: a call that waited for its answer
would return only after that.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from harness.targets import mcp_session

HELD_S = 10.0  # how long the server holds the DELETE at most (the test lets it go sooner)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Mcp)
        self.deleted = threading.Event()  # the DELETE arrived
        self.released = threading.Event()  # the test lets the DELETE be answered
        self.answered = threading.Event()  # its answer was sent


class _Mcp(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        message = json.loads(self.rfile.read(int(self.headers["content-length"])))
        if "id" not in message:
            self._send(202, b"")
            return
        result = {"protocolVersion": "2025-11-25"} if message["method"] == "initialize" else {}
        body = json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}).encode()
        self._send(200, body, {"Mcp-Session-Id": "s1", "Content-Type": "application/json"})

    def do_DELETE(self) -> None:
        self.server.deleted.set()
        self.server.released.wait(HELD_S)
        self._send(200, b"")
        self.server.answered.set()

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    started = _Server()
    thread = threading.Thread(target=started.serve_forever, daemon=True)
    thread.start()
    try:
        yield started
    finally:
        started.released.set()
        started.shutdown()
        started.server_close()


def test_the_call_ends_its_session_without_waiting_for_a_held_delete(server: _Server) -> None:
    url = f"http://127.0.0.1:{server.server_address[1]}/mcp"
    with httpx.Client(timeout=HELD_S * 2) as http:
        steps = mcp_session.call(http, url, [("Authorization", "Bearer t")])
    assert [s.response.status_code for s in steps if s.response] == [200, 202, 200]
    assert server.deleted.wait(HELD_S), "the session was not ended"
    assert not server.answered.is_set(), "the call waited for the DELETE's answer"
