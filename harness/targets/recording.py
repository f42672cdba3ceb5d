"""Recording the harness's own calls to the issuer (discovery, token requests), redacted.

The token endpoint's traffic is full of credentials: client secrets in Basic headers (RFC 6749
§2.3.1), signed assertions in the form (RFC 7523 §2.1, replayable until they expire), tokens in
the answer (RFC 6749 §5.1). Each is registered with the run's `Redactor` before the exchange
is kept, so the report can show the exchange without them.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

import httpx

from harness.redaction import Redactor
from harness.results import Exchange

SECRET_FORM_FIELDS = frozenset(
    {"assertion", "client_assertion", "client_secret", "token", "password", "refresh_token"}
)
SECRET_JSON_MEMBERS = ("access_token", "id_token", "refresh_token")
MAX_BODY = 2000
TIMEOUT_S = 10.0


def recording_client(redactor: Redactor, sink: list[Exchange]) -> httpx.Client:
    """A client whose every exchange lands in ``sink``, secrets registered and redacted."""

    def on_response(response: httpx.Response) -> None:
        response.read()
        sink.append(exchange_of(response, redactor))

    return httpx.Client(timeout=TIMEOUT_S, event_hooks={"response": [on_response]})


def exchange_of(response: httpx.Response, redactor: Redactor) -> Exchange:
    """The request and response as an `Exchange`, after registering the secrets they carry."""
    request = response.request
    _register_form_secrets(request.content.decode("utf-8", "replace"), redactor)
    _register_json_secrets(response.text, redactor)
    return Exchange(
        method=request.method,
        url=str(request.url),
        request_headers=_headers(request.headers, redactor, ("authorization", "content-type")),
        request_body=redactor.redact(request.content.decode("utf-8", "replace")[:MAX_BODY]),
        status=response.status_code,
        response_headers=_headers(response.headers, redactor, ("content-type",)),
        response_body=redactor.redact(response.text[:MAX_BODY]),
    )


def _headers(headers: httpx.Headers, redactor: Redactor, names: tuple[str, ...]) -> dict[str, str]:
    return {n: redactor.redact_header(n, headers[n]) for n in names if n in headers}


def _register_form_secrets(body: str, redactor: Redactor) -> None:
    for name, value in parse_qsl(body, keep_blank_values=True):
        if name in SECRET_FORM_FIELDS:
            redactor.add(value)
            redactor.add(urlencode({name: value}).split("=", 1)[1])


def _register_json_secrets(body: str, redactor: Redactor) -> None:
    try:
        data = json.loads(body)
    except ValueError:
        return
    if isinstance(data, dict):
        for name in SECRET_JSON_MEMBERS:
            value = data.get(name)
            if isinstance(value, str):
                redactor.add(value)
