"""Routes beyond GET: the subject file's table form, its mistakes, and what the checks send."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from harness.checks.base import CheckContext
from harness.model.matrix import Mechanism, Mode, TokenFormat, Variant, cell_by_number
from harness.model.routes import Route, Routes
from harness.redaction import Redactor
from harness.subjects.file import SubjectError, load_subject
from harness.targets.api_client import ApiClient

MINIMAL = 'name = "x"\nmechanism = "client_secret_basic"\ncommand = ["run", "{port}"]\n'
TABLE = """
[routes]
public = "/health"
role = "admin"

[routes.private]
path = "/rpc?v=1"
method = "POST"
headers = { X-Tenant = "acme", Accept = "application/json" }
json = { method = "list", params = [1, 2] }

[routes.scoped]
path = "/admin"
method = "DELETE"
body = "raw"
headers = { Content-Type = "text/plain" }
"""


def _load(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "subject.toml"
    path.write_text(MINIMAL + text, encoding="utf-8")
    return path


def test_a_route_table_gives_method_headers_and_a_json_body(tmp_path: Path) -> None:
    routes = load_subject(_load(tmp_path, TABLE)).routes
    assert routes.public == Route("/health")
    assert routes.private.method == "POST"
    assert routes.private.headers == (
        ("X-Tenant", "acme"),
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
    )
    assert json.loads(routes.private.body) == {"method": "list", "params": [1, 2]}
    assert routes.scoped == Route("/admin", "DELETE", (("Content-Type", "text/plain"),), b"raw")
    assert routes.role == "admin"


def test_the_string_form_is_still_a_get(tmp_path: Path) -> None:
    routes = load_subject(_load(tmp_path, '[routes]\nprivate = "/p"\nscoped = "/s"\n')).routes
    assert routes == Routes(Route("/api/public"), Route("/p"), Route("/s"))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[routes.private]\nmethod = 'POST'\n", ["routes.private.path", "is missing"]),
        ("[routes.private]\npath = 'x'\n", ["routes.private.path", "starting with '/'"]),
        ("[routes.private]\npath = '/x'\nmethod = 'FETCH'\n", ["routes.private.method", "POST"]),
        ("[routes.private]\npath = '/x'\nverb = 'GET'\n", ["routes.private.verb", "allowed"]),
        ("[routes.private]\npath = '/x'\nheaders = 'a'\n", ["routes.private.headers", "table"]),
        (
            "[routes.private]\npath = '/x'\nheaders = { Authorization = 'Bearer a' }\n",
            ["routes.private.headers.Authorization", "the checks set it"],
        ),
        (
            "[routes.private]\npath = '/x'\nheaders = { 'X Y' = 'a' }\n",
            ["routes.private.headers.X Y", "header name"],
        ),
        (
            "[routes.private]\npath = '/x'\nheaders = { X-N = 1 }\n",
            ["routes.private.headers.X-N", "string"],
        ),
        (
            "[routes.private]\npath = '/x'\nbody = 'a'\njson = {}\n",
            ["routes.private.json", "give one"],
        ),
        ("[routes.private]\npath = '/x'\nbody = 1\n", ["routes.private.body", "string"]),
        ("[routes]\nprivate = 3\n", ["routes.private", "a path", "table"]),
    ],
)
def test_each_route_mistake_names_the_file_and_the_key(
    tmp_path: Path, text: str, words: list[str]
) -> None:
    path = _load(tmp_path, text)
    with pytest.raises(SubjectError) as caught:
        load_subject(path)
    assert str(caught.value).startswith(f"{path.resolve()}:")
    for word in words:
        assert word in str(caught.value)


@dataclass
class _Target:
    http: ApiClient
    redactor: Redactor = field(default_factory=Redactor)
    mode: Mode = Mode.MOCK
    subject: None = None

    def api_url(self, mechanism: Mechanism) -> str:
        return "http://api.test"


def test_call_sends_the_routes_request_with_the_checks_credentials() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(401, headers={"WWW-Authenticate": "Bearer"})

    http = ApiClient(5.0, httpx.MockTransport(answer))
    ctx = CheckContext(_Target(http), Variant(cell_by_number(1), TokenFormat.OPAQUE))  # type: ignore[arg-type]
    route = Route("/rpc?v=1", "POST", (("Content-Type", "application/json"),), b"{}")
    ctx.call(route, "Bearer abc", query="access_token=q")
    ctx.call(route, headers=[("Content-Type", "text/plain")], body=b"x", record=False)
    first, second = seen
    assert (first.method, str(first.url)) == ("POST", "http://api.test/rpc?v=1&access_token=q")
    assert first.headers["authorization"] == "Bearer abc" and first.content == b"{}"
    assert second.headers["content-type"] == "text/plain" and second.content == b"x"
    assert "authorization" not in second.headers
    assert [e.method for e in ctx.exchanges] == ["POST"]  # the unrecorded call is not shown
    assert ctx.exchanges[0].request_body == "{}"
