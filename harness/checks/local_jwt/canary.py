"""The canary: a loopback server the forged ``jku``, ``x5u`` and ``x5c`` headers point at.

RFC 8725 §3.10: an API that follows a URL a token names lets whoever made the token send it
anywhere (server-side request forgery), and RFC 7515 §4.1.2, §4.1.5 leave trusting such keys
to the application. A validator that knows its issuer's keys never fetches from here, so every
request that reaches the canary is counted, whatever its path. It serves what a careless
validator would want to find there (the attacker's key set, certificate, issuer certificate),
so one that trusts it also accepts the forged token. Started for one check, on a free port.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

JWKS_PATH = "/jwks.json"
CERT_PATH = "/cert.pem"
ISSUER_CERT_PATH = "/issuer.der"
CRL_PATH = "/crl"


class Canary:
    """What the canary serves (path -> content type and body), and the requests it got."""

    def __init__(self, files: dict[str, tuple[str, bytes]]) -> None:
        self.files = files
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self.url = ""

    @property
    def fetches(self) -> int:
        """Requests that reached the canary so far."""
        with self._lock:
            return len(self.paths)

    def record(self, path: str) -> None:
        with self._lock:
            self.paths.append(path)

    def report(self) -> str:
        """The fetches in words, for a result's 'actual'."""
        if not self.paths:
            return "the canary got 0 fetches"
        shown = ", ".join(sorted(set(self.paths)))
        return f"the canary got {self.fetches} fetch(es) ({shown})"


def _handler(canary: Canary) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            path = self.path.split("?", 1)[0]
            canary.record(path)
            content_type, body = canary.files.get(path, ("text/plain", b"not here"))
            self.send_response(200 if path in canary.files else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the fetches are counted, not logged."""

    return Handler


@contextmanager
def canary(files: dict[str, tuple[str, bytes]]) -> Iterator[Canary]:
    """A canary serving ``files`` on 127.0.0.1 (a free port) for the block; then stopped."""
    found = Canary(files)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    server.daemon_threads = True
    found.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="harness-canary", daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
