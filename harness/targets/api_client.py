"""The harness's client for the APIs under test: every answer recorded, whatever it holds.

An API may answer anything: ``302`` with ``Location: javascript:alert(1)``, 30 MB, a gzip bomb,
bytes in no charset. httpx's client looks at a ``Location`` even when it follows no redirect
(and raises on one it cannot parse), and expands a compressed body whole; so `ApiClient.fetch`
sends through the transport itself and reads the raw answer: status, header fields as sent,
the first `READ_BODY_BYTES` of the body (the rest counted up to `COUNT_BODY_BYTES`, then the
connection closed), decompressed at most to the same size (RFC 9110 §8.4), decoded by charset
(``harness/model/text.py``). The checks judge what was recorded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from harness.model.bounds import COUNT_BODY_BYTES, KIB, READ_BODY_BYTES
from harness.model.text import decode_body
from harness.targets.issuer_http import tls_context

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


@dataclass(frozen=True)
class RawAnswer:
    """What an API answered: status, headers, the body's start as text, and its size."""

    status: int
    headers: httpx.Headers
    text: str
    read_bytes: int  # bytes of the body kept (at most READ_BODY_BYTES)
    seen_bytes: int  # bytes of the body received (counted up to COUNT_BODY_BYTES)
    complete: bool  # the whole body was received

    @property
    def note(self) -> str:
        """What of the body the harness left out ('' when nothing)."""
        if self.complete and self.seen_bytes <= self.read_bytes:
            return ""
        seen = f"{self.seen_bytes:,} bytes" + ("" if self.complete else " or more")
        return f"[truncated by the harness: the first {self.read_bytes // KIB} KiB of {seen} read]"


class ApiClient(httpx.Client):
    """An httpx client whose `fetch` reads answers raw (no redirect logic, bounded reads).

    A new connection per request: no keep-alive, so one check cannot inherit a connection
    another check's request left broken (e.g. an API that crashed and closed it).
    """

    def __init__(self, timeout_s: float, transport: httpx.BaseTransport | None = None) -> None:
        limits = httpx.Limits(max_keepalive_connections=0)
        # The process's one TLS context: a new one costs tens of ms of CPU, and a run makes a
        # client per subject and per instance.
        self.raw_transport = transport or httpx.HTTPTransport(limits=limits, verify=tls_context())
        super().__init__(timeout=timeout_s, transport=self.raw_transport)

    def fetch(
        self, method: str, url: str, headers: list[tuple[str, str]], content: bytes = b""
    ) -> RawAnswer:
        """Send one request and read its answer raw; httpx errors for no answer at all."""
        request = self.build_request(method, url, headers=headers, content=content)
        response = self.raw_transport.handle_request(request)
        try:
            return read_answer(response)
        finally:
            response.close()


def read_answer(response: httpx.Response) -> RawAnswer:
    """The answer of a transport (its stream not yet read), read within the bounds."""
    kept, seen, complete = bytearray(), 0, True
    for chunk in _raw_chunks(response):
        seen += len(chunk)
        if len(kept) < READ_BODY_BYTES:
            kept += chunk[: READ_BODY_BYTES - len(kept)]
        if seen >= COUNT_BODY_BYTES:
            complete = False
            break
    headers = response.headers
    body, cut = _expanded(bytes(kept), headers.get("content-encoding", ""), seen > len(kept))
    text = decode_body(body, headers.get("content-type", ""), cut=cut)
    return RawAnswer(response.status_code, headers, text, len(kept), seen, complete)


def _raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    try:
        yield response.content  # already read: a test transport's answer, built in memory
    except httpx.ResponseNotRead:
        yield from response.iter_raw()


def _expanded(raw: bytes, encoding: str, cut: bool) -> tuple[bytes, bool]:
    """The body decompressed, at most to `READ_BODY_BYTES` (a gzip bomb stays small); whether
    it is only a part of the body."""
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return raw, cut
    if coding not in _WBITS:
        return f"[a body in the {coding!r} coding, {len(raw)} bytes: not expanded]".encode(), False
    try:
        inflater = zlib.decompressobj(_WBITS[coding])
        body = inflater.decompress(raw, READ_BODY_BYTES)
    except zlib.error as exc:
        return f"[a {coding} body that does not decompress: {exc}]".encode(), False
    return body, cut or bool(inflater.unconsumed_tail) or not inflater.eof
