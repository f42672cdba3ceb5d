"""One capped, deadlined fetch: the same limits for the blocking clients as for the APIs, and
every transport failure named safely (`oauthkit.fetch`, `oauthkit.transport`)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from oauthkit import FetchLimits, IssuerFailed, IssuerUnreachable
from oauthkit.fetch import DEFAULT_LIMITS, fetch_sync
from oauthkit.transport import cause, issuer_call

URL = "http://issuer.test/keys"
JSON = {"content-type": "application/json"}


class _Chunks(httpx.SyncByteStream):
    """A body of `count` chunks of 64 KiB, with no Content-Length."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.count):
            yield b" " * 65536


def _fetch(answer: httpx.Response, limits: FetchLimits = DEFAULT_LIMITS) -> httpx.Response:
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return answer

    with httpx.Client(transport=httpx.MockTransport(handle)) as http:
        response = fetch_sync(http, http.build_request("GET", URL), limits, "JWKS")
    assert requests[0].headers["accept-encoding"] == "identity"
    return response


def test_an_answer_within_the_limits_is_read_whole() -> None:
    response = _fetch(httpx.Response(200, headers=JSON, content=b'{"keys": []}'))
    assert (response.status_code, response.json()) == (200, {"keys": []})


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "streamed"])
def test_an_answer_above_the_cap_is_refused(declared: bool) -> None:
    headers = {**JSON, "content-length": str(64 * 65536)} if declared else JSON
    with pytest.raises(IssuerFailed, match="more than 100000"):
        _fetch(httpx.Response(200, headers=headers, stream=_Chunks(64)), FetchLimits(5, 100_000))


def test_a_compressed_answer_is_refused_before_it_is_inflated() -> None:
    headers = {**JSON, "content-encoding": "gzip"}
    with pytest.raises(IssuerFailed, match=r"compressed \(gzip\)"):
        _fetch(httpx.Response(200, headers=headers, content=b"\x1f\x8b"))


def test_a_body_still_arriving_past_the_deadline_is_given_up() -> None:
    answer = httpx.Response(200, headers=JSON, stream=_Chunks(64))
    with pytest.raises(IssuerUnreachable, match="within the 1e-09 s deadline"):
        _fetch(answer, FetchLimits(deadline_s=1e-9, max_bytes=10**9))


@pytest.mark.parametrize(
    ("failure", "logged"),
    [
        (httpx.RemoteProtocolError("Duplicate Content-Length:\n  b'Content-Length: 16'"),
         "RemoteProtocolError: Duplicate Content-Length (the answer is not well-formed"),
        (httpx.RemoteProtocolError("Invalid HTTP header: b'a\\x00b'"),
         "RemoteProtocolError: Invalid HTTP header (the answer"),
        (httpx.DecodingError("Error -3 while decompressing"), "DecodingError: Error -3 while"),
        (httpx.ConnectError("[Errno 111] refused"),
         "failed: ConnectError (is the issuer running and the URL right?)"),
        (httpx.ReadTimeout("read"), "timed out (ReadTimeout)"),
    ],
)  # fmt: skip
def test_a_transport_failure_is_an_issuer_error_naming_the_url_and_cause(
    failure: httpx.HTTPError, logged: str
) -> None:
    with pytest.raises(IssuerUnreachable) as raised, issuer_call("JWKS", URL):
        raise failure
    assert str(raised.value).startswith(f"JWKS at {URL} ")
    assert logged in str(raised.value)
    assert "b'" not in str(raised.value)  # the answer's own bytes stay out of the log


def test_a_cause_is_printable_and_short() -> None:
    text = cause(ValueError("\x1b[31m" + "x" * 500))
    assert text.startswith("ValueError: ?[31mx") and len(text) <= len("ValueError: ") + 80
