"""The harness's transport for its own issuer calls: discovery read once, a lost request resent."""

from __future__ import annotations

import httpx
import pytest

from harness.targets.issuer_http import DiscoveryOnce

Flaky = tuple[httpx.MockTransport, list[str]]


def _flaky(error: type[httpx.TransportError], failures: int) -> Flaky:
    """A transport whose first ``failures`` requests fail with ``error``; the bodies sent."""
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content.decode())
        if len(sent) <= failures:
            raise error("Server disconnected without sending a response.", request=request)
        return httpx.Response(200, json={"access_token": "x"})

    return httpx.MockTransport(answer), sent


@pytest.mark.parametrize("error", [httpx.RemoteProtocolError, httpx.ReadError])
def test_a_request_lost_on_a_connection_the_issuer_closed_is_sent_once_more(
    error: type[httpx.TransportError],
) -> None:
    inner, sent = _flaky(error, failures=1)
    with httpx.Client(transport=DiscoveryOnce(inner)) as http:
        answer = http.post("http://issuer/oauth/v2/token", data={"grant_type": "x"})
    assert answer.status_code == 200 and sent == ["grant_type=x", "grant_type=x"]


def test_a_request_lost_twice_fails_as_the_transport_says() -> None:
    inner, sent = _flaky(httpx.ReadError, failures=2)
    with httpx.Client(transport=DiscoveryOnce(inner)) as http, pytest.raises(httpx.ReadError):
        http.post("http://issuer/oauth/v2/token", data={"grant_type": "x"})
    assert len(sent) == 2


def test_a_connection_refused_is_not_sent_again() -> None:
    inner, sent = _flaky(httpx.ConnectError, failures=1)
    with httpx.Client(transport=DiscoveryOnce(inner)) as http, pytest.raises(httpx.ConnectError):
        http.post("http://issuer/oauth/v2/token", data={"grant_type": "x"})
    assert len(sent) == 1
