"""A subject whose protected route is a POST with its own header and JSON body.

The stand-in answers only ``POST /rpc`` carrying ``X-Tenant: acme`` and the JSON body the file
names (anything else 405 or 400), and takes any token: so the refusal checks pass only if they
send the route's method, headers and body, and the token checks find it fail-open.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness.checks import check_by_id
from harness.model.matrix import cell_by_number
from harness.model.results import Status
from harness.run.runner import Plan, run_matrix
from harness.subjects.file import load_subject
from harness.targets.spec import TargetSpec

pytestmark = pytest.mark.e2e

POST_ONLY = """
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def _answer(self, status, challenge=""):
        self.send_response(status)
        if challenge:
            self.send_header("WWW-Authenticate", challenge)
        self.send_header("content-length", "0")
        self.end_headers()
    def do_GET(self):
        self._answer(200 if self.path == "/health" else 405)
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.path != "/rpc" or self.headers.get("X-Tenant") != "acme":
            return self._answer(400)
        if json.loads(body or b"null") != {"method": "list"}:
            return self._answer(400)
        if not self.headers.get("Authorization"):
            return self._answer(401, 'Bearer realm="rpc"')
        self._answer(200)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""

SUBJECT = """
name = "post-only"
mechanism = "client_secret_basic"
command = ["{python}", "app.py", "{port}"]
startup_timeout = 5

[routes]
public = "/health"

[routes.private]
path = "/rpc"
method = "POST"
headers = { X-Tenant = "acme" }
json = { method = "list" }
"""


def test_every_check_calls_the_route_with_its_method_headers_and_body(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent(POST_ONLY), encoding="utf-8")
    (tmp_path / "post-only.toml").write_text(SUBJECT, encoding="utf-8")
    ids = ("RFC6750-3.1-no-credentials", "RFC6750-2.1-valid-token", "RFC6750-3.1-garbage-token")
    plan = Plan(TargetSpec(), (cell_by_number(4),), tuple(check_by_id(c) for c in ids), (),
                subjects=(load_subject(tmp_path / "post-only.toml"),))  # fmt: skip
    run = run_matrix(plan, workers=1)
    found = {(r.check_id, r.status, r.fail_open) for r in run.results}
    assert found == {
        ("RFC6750-3.1-no-credentials", Status.PASSED, False),
        ("RFC6750-2.1-valid-token", Status.PASSED, False),
        ("RFC6750-3.1-garbage-token", Status.FAILED, True),
    }
    shown = next(r for r in run.results if r.check_id == "RFC6750-2.1-valid-token").exchanges[0]
    assert (shown.method, shown.request_body) == ("POST", '{"method":"list"}')
