"""A hostile, chatty resource server: the subject of the report's bounds, measured.

It checks no token (any ``Authorization`` gets in) and answers each request with the next of
its bad habits, in turn: the token echoed at a new offset of a body (every offset from 0 to
``SPREAD`` over a run, so it lands on each side of every cut the harness makes), a 30 MB body,
a gzip bomb (a few KB expanding to 200 MB), control characters (ESC, OSC, BEL, NUL, C1, bidi
overrides) in headers and body, a body in UTF-16, HTML markup. For each request it also prints
``LOG_MB`` MB of log (default 20): long lines and short ones, ANSI colours, the token and its
own client secret at a new offset each time. With ``SEEN`` it writes every token and secret it
was given there, one a line.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import itertools
import json
import os
import sys
import threading

PORT = int(os.environ["PORT"])
SEEN = os.environ.get("SEEN", "")  # optional: where to write what it was given
SECRET = os.environ.get("API_CLIENT_SECRET", "")
LOG_MB = float(os.environ.get("LOG_MB", "20"))
SPREAD = 2600
CONTROLS = "\x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x00nul \x9b31m \u202eevil\u202c \x08\x7f"
BOMB = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
HUGE = b"A" * (30 * 1024 * 1024)
_turn = itertools.count()
_lock = threading.Lock()


def _note(*values: str) -> None:
    if not SEEN:
        return
    with _lock, open(SEEN, "a", encoding="utf-8") as seen:
        seen.writelines(f"{v}\n" for v in values if v)


def _chatter(token: str, n: int) -> None:
    """About LOG_MB MB of log: each line holding the token or the secret at a new offset."""
    offset = (n * 37) % SPREAD
    line = "x" * offset + token + " \x1b[32m" + SECRET + "\x1b[0m " + CONTROLS + "\n"
    long_line = "L" * (1024 * 1024) + token + "\n"
    chunk = (line * 200 + long_line) * max(
        1, int(LOG_MB * 1024 * 1024 // (200 * len(line) + 2**20))
    )
    sys.stdout.write(chunk)
    sys.stdout.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    """Lets every token in, and answers with the next bad habit."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").partition(" ")[2]
        if self.path.startswith("/api/public") or not token:
            return self._send(200 if not token and "public" in self.path else 401, b"{}", {})
        _note(token, SECRET)
        n = next(_turn)
        _chatter(token, n)
        habit = n % 6
        if habit == 1:
            return self._send(200, HUGE, {"Content-Type": "text/plain"})
        if habit == 2:
            return self._send(200, BOMB, {"Content-Encoding": "gzip", "Content-Type": "text/plain"})
        if habit == 3:
            headers = {"WWW-Authenticate": f'Bearer error="{CONTROLS}"', "X-Echo": CONTROLS}
            return self._send(200, (CONTROLS + token).encode(), headers)
        if habit == 4:
            body = json.dumps({"token": token, "controls": CONTROLS}).encode("utf-16")
            return self._send(200, body, {"Content-Type": "application/json; charset=utf-16"})
        offset = (n * 53) % SPREAD
        body = "<html><script>alert(1)</script>" + "y" * offset + token + SECRET + "</html>"
        return self._send(200, body.encode(), {"Content-Type": "text/html"})

    do_POST = do_GET

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        if status == 401:
            self.send_header("WWW-Authenticate", "Bearer")
        for name, value in headers.items():
            self.send_header(name, value.encode("latin-1", "replace").decode("latin-1"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
