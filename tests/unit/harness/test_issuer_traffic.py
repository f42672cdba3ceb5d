"""The APIs' calls to the issuer: their secrets known at once, the calls redacted when shown."""

from __future__ import annotations

import httpx

from harness.redaction import Redactor
from harness.targets.recording import IssuerTraffic, later_exchange

TOKEN = "opaque-token-0123456789abcdef"
SECRET_LATER = "learned-later-0123456789"


def _introspection() -> httpx.Response:
    request = httpx.Request(
        "POST", "http://issuer.test/oauth/v2/introspect", content=f"token={TOKEN}".encode(),
        headers={"Authorization": "Basic YXBpOnNlY3JldC1vZi10aGUtYXBp"},
    )  # fmt: skip
    answer = f'{{"active": true, "note": "{SECRET_LATER}"}}'.encode()
    return httpx.Response(200, content=answer, request=request)


def test_a_call_registers_its_secrets_when_it_comes_and_is_redacted_when_shown() -> None:
    redactor, traffic = Redactor(), IssuerTraffic()
    traffic.add(later_exchange(_introspection(), redactor))
    assert redactor.find(TOKEN)  # known before anything is shown: a log line hides it too
    redactor.add(SECRET_LATER)  # learned after the call came, before it is shown
    [call] = traffic.since(0)
    assert TOKEN not in call.request_body and "[REDACTED:" in call.request_body
    assert SECRET_LATER not in call.response_body
    assert call.request_headers["authorization"].startswith("Basic [REDACTED:")
    assert (call.method, call.status) == ("POST", 200)


def test_a_call_is_made_fit_for_display_once() -> None:
    redactor, traffic = Redactor(), IssuerTraffic()
    traffic.add(later_exchange(_introspection(), redactor))
    first = traffic.since(0)
    assert traffic.since(0)[0] is first[0] and traffic.since(1) == ()
