"""Whatever an API answers is recorded and judged: odd redirects, huge or compressed bodies."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

from harness.checks.base import CheckContext
from harness.model.bounds import READ_BODY_BYTES
from harness.model.matrix import Mechanism, Mode, TokenFormat, Variant, cell_by_number
from harness.redaction import Redactor
from harness.targets.api_client import ApiClient

TOKEN = "tok-3f9a1c77e2b04d5c8e6f-echoed"


@dataclass
class _Target:
    http: ApiClient
    redactor: Redactor = field(default_factory=lambda: Redactor([TOKEN]))
    mode: Mode = Mode.MOCK

    def api_url(self, auth: Mechanism) -> str:
        return "http://api.test"


def _context(answer: httpx.Response) -> CheckContext:
    target = _Target(ApiClient(5.0, httpx.MockTransport(lambda request: answer)))
    return CheckContext(target, Variant(cell_by_number(2), TokenFormat.OPAQUE))  # type: ignore[arg-type]


def test_a_javascript_location_is_recorded_not_raised() -> None:
    ctx = _context(httpx.Response(302, headers={"Location": "javascript:alert(1)"}, text=TOKEN))
    reply = ctx.get("/api/private", f"Bearer {TOKEN}")
    assert reply.status == 302 and reply.headers["location"] == "javascript:alert(1)"
    assert TOKEN in reply.text  # the checks see the echo (the no-secrets check finds it)
    (exchange,) = ctx.exchanges
    assert exchange.response_headers["location"] == "javascript:alert(1)"
    assert TOKEN not in exchange.response_body and "[REDACTED:" in exchange.response_body


class _Endless(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        chunk = b"x" * 65536
        for _ in range(480):  # 30 MB
            yield chunk


def test_a_30_mb_body_is_read_to_its_cap_and_counted() -> None:
    reply = _context(httpx.Response(200, stream=_Endless())).get("/api/private")
    assert len(reply.text) == READ_BODY_BYTES
    assert "the first 256 KiB of 31,457,280 bytes read" in reply.shown_text


def test_a_gzip_bomb_is_expanded_only_to_the_cap() -> None:
    bomb = gzip.compress(b"\0" * (100 * 1024 * 1024))
    answer = httpx.Response(
        200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(bomb)
    )
    reply = _context(answer).get("/api/private")
    assert len(reply.text) <= READ_BODY_BYTES


def test_a_utf16_body_is_decoded_by_its_charset() -> None:
    body = '{"error":"invalid_token"}'.encode("utf-16-le")
    headers = {"Content-Type": "application/json; charset=utf-16le"}
    reply = _context(httpx.Response(401, headers=headers, content=body)).get("/api/private")
    assert reply.text == '{"error":"invalid_token"}'
