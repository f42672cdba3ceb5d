"""A tiny resource server that forks daemons: the subject of the tests of how a run ends.

It forks one child that stays in its process group (and keeps its output pipes open) and one
daemon that leaves it (``setsid``, the double fork); each writes ``<NAME>-<kind>-<pid>.pid``
into ``PID_DIR``. Then it serves: ``/api/public`` 200; any other route 401 with a Bearer
challenge without an Authorization header, 200 with one (it checks nothing). ``HANG=1``: a
request with a token never gets an answer (it writes ``<NAME>-hanging`` first), so a run
can be stopped midway. ``EXIT_EARLY=1``: it exits with status 4 before it is ready.
"""

from __future__ import annotations

import http.server
import os
import sys
import time
from pathlib import Path

PID_DIR = Path(os.environ["PID_DIR"])
NAME = os.environ["NAME"]


def fork_daemon(kind: str) -> None:
    """Fork a process that sleeps for ever; ``setsid`` detaches it as daemons do."""
    if os.fork() != 0:
        return
    if kind == "setsid":
        os.setsid()
        if os.fork() != 0:
            os._exit(0)  # the middle process exits: the daemon is orphaned
        for fd in (0, 1, 2):
            os.close(fd)
    (PID_DIR / f"{NAME}-{kind}-{os.getpid()}.pid").write_text(str(os.getpid()))
    while True:
        time.sleep(60)


class Handler(http.server.BaseHTTPRequestHandler):
    """Public route open; the rest wants some token and takes any (or hangs on it)."""

    def do_GET(self) -> None:
        token = self.headers.get("Authorization")
        if self.path != "/api/public" and token and os.environ.get("HANG") == "1":
            (PID_DIR / f"{NAME}-hanging").write_text("")
            time.sleep(3600)
        if self.path != "/api/public" and not token:
            self.send_response(401)
            self.send_header("WWW-Authenticate", "Bearer")
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def wait_for_daemons(count: int) -> None:
    """Until every daemon wrote its pid file (so none is still being born when we go on)."""
    deadline = time.monotonic() + 30
    while len(list(PID_DIR.glob(f"{NAME}-*.pid"))) < count and time.monotonic() < deadline:
        time.sleep(0.01)


if __name__ == "__main__":
    fork_daemon("group")
    fork_daemon("setsid")
    wait_for_daemons(2)
    if os.environ.get("EXIT_EARLY") == "1":
        sys.exit(4)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
