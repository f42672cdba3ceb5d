"""Recording the harness's own calls to the issuer (discovery, token requests), redacted.

The token endpoint's traffic is full of credentials: client secrets in Basic headers (RFC 6749
§2.3.1), signed assertions in the form (RFC 7523 §2.1, replayable until they expire), tokens in
the answer (RFC 6749 §5.1). Each is registered with the run's `Redactor` before the exchange
is kept, so the report can show the exchange without them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl, urlencode

import httpx

from harness.model.bounds import (
    READ_BODY_BYTES,
    SHOWN_BODY,
    SHOWN_HEADER,
    SHOWN_RESPONSE_HEADERS,
    SHOWN_URL,
)
from harness.model.results import Exchange
from harness.model.text import decode_body
from harness.redaction import Redactor
from harness.targets.issuer_http import tls_context

SECRET_FORM_FIELDS = frozenset(
    {"assertion", "client_assertion", "client_secret", "token", "password", "refresh_token"}
)
SECRET_JSON_MEMBERS = ("access_token", "id_token", "refresh_token")
TIMEOUT_S = 10.0
MAX_EXCHANGES = 50_000
# A body longer than this is shown as it comes, not kept for later (`later_exchange`).
HELD_CHARS = 4 * SHOWN_BODY


# An exchange as kept: made fit for display, or what makes it so (`later_exchange`).
Recorded = Exchange | Callable[[], Exchange]


def recording_client(
    redactor: Redactor,
    keep: Callable[[Callable[[], Exchange]], None],
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """A client that hands ``keep`` what makes each of its exchanges, redacted, when called
    (`later_exchange`: the secrets it carries are registered at once); ``transport``: a
    target's shared one, e.g. `DiscoveryOnce`."""

    def on_response(response: httpx.Response) -> None:
        response.read()
        keep(later_exchange(response, redactor))

    hooks = {"response": [on_response]}
    if transport is not None:
        return httpx.Client(timeout=TIMEOUT_S, event_hooks=hooks, transport=transport)
    return httpx.Client(timeout=TIMEOUT_S, event_hooks=hooks, verify=tls_context())


class IssuerTraffic:
    """The APIs' calls to the issuer during a run, redacted, in order (thread-safe).

    Filled from either side (``issuer_tap.py``): the mock issuer's own app
    (`record_introspection`), which sees every API, subjects included; or, against a live
    issuer, the in-process APIs' transport (`RecordingTransport`). A subject talking to a live
    issuer is seen by neither. A call is kept as `later_exchange` leaves it, and made fit for
    display only when `since` asks for it: a failed check shows the calls made during it, and
    most checks pass (redacting each call as it came took the mock's event loop's time).
    """

    def __init__(self) -> None:
        self._exchanges: list[Recorded] = []
        self._lock = threading.Lock()

    def add(self, exchange: Recorded) -> None:
        """Keep one exchange (redacted, or what makes it so when called)."""
        with self._lock:
            if len(self._exchanges) < MAX_EXCHANGES:
                self._exchanges.append(exchange)

    def mark(self) -> int:
        """The position now, for `since`."""
        with self._lock:
            return len(self._exchanges)

    def since(self, mark: int) -> tuple[Exchange, ...]:
        """The exchanges kept after ``mark``, redacted."""
        with self._lock:
            kept = self._exchanges[mark:]
        shown = tuple(x if isinstance(x, Exchange) else x() for x in kept)
        with self._lock:  # made once: the next reader finds them made
            self._exchanges[mark : mark + len(shown)] = shown
        return shown


REQUEST_HEADERS = ("authorization", "content-type")


def later_exchange(response: httpx.Response, redactor: Redactor) -> Callable[[], Exchange]:
    """Register the secrets the request and response carry now; return what makes their
    `Exchange`, redacted by what the redactor knows when it is called. It keeps the texts
    only where they are short (what `Redactor.shown` would read of them): a longer one is
    shown now."""
    request = response.request
    sent = request.content.decode("utf-8", "replace")
    register_form_secrets(sent, redactor)
    text = _recorded_text(response)
    _register_json_secrets(text, redactor)
    sent_headers = _picked(request.headers, REQUEST_HEADERS)
    answer_headers = _picked(response.headers, ("content-type",))
    method, url, status = request.method, str(request.url), response.status_code
    body, answer = _later_body(sent, redactor), _later_body(text, redactor)

    def made() -> Exchange:  # holds the texts, not the request and response
        return Exchange(
            method=method,
            url=redactor.shown(url, SHOWN_URL),
            request_headers=shown_headers(sent_headers, redactor, REQUEST_HEADERS),
            request_body=body(),
            status=status,
            response_headers=shown_headers(answer_headers, redactor, ("content-type",)),
            response_body=answer(),
        )

    return made


def _later_body(text: str, redactor: Redactor) -> Callable[[], str]:
    """What shows ``text`` later: itself kept when short, else shown now."""
    if len(text) <= HELD_CHARS:
        return lambda: redactor.shown(text, SHOWN_BODY)
    shown = redactor.shown(text, SHOWN_BODY)
    return lambda: shown


def _picked(headers: httpx.Headers, names: tuple[str, ...]) -> dict[str, str]:
    return {n: headers[n] for n in names if n in headers}


def _recorded_text(response: httpx.Response) -> str:
    """The body as text, never expanded and at most `READ_BODY_BYTES` of it decoded.

    A lying issuer answers with a gzip bomb or 30 MB (see ``mock_issuer.lies``): decoding or
    redacting all of it would stall the issuer this recorder wraps.
    """
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        return f"[a {encoding}-compressed body, not expanded]"
    raw = response.read()
    text = decode_body(raw[:READ_BODY_BYTES], response.headers.get("content-type", ""),
                       cut=len(raw) > READ_BODY_BYTES)  # fmt: skip
    return text + (f"... [{len(raw)} bytes]" if len(raw) > READ_BODY_BYTES else "")


def api_exchange(
    redactor: Redactor,
    request: tuple[str, str, dict[str, str], str],
    answer: tuple[int | None, httpx.Headers, str, str],
) -> Exchange:
    """A client's exchange with an API for display: the request (method, URL, headers, body)
    and the answer (status, headers, the body as already shown, the transport error)."""
    method, url, headers, body = request
    status, answer_headers, shown_body, error = answer
    shown = {k: v for k, v in answer_headers.items() if k.lower() in SHOWN_RESPONSE_HEADERS}
    return Exchange(
        method=method,
        url=redactor.shown(url, SHOWN_URL),
        request_headers={
            k: redactor.shown(redactor.redact_header(k, v), SHOWN_HEADER)
            for k, v in headers.items()
        },
        request_body=redactor.shown(body, SHOWN_BODY),
        status=status,
        response_headers={k: redactor.shown(v, SHOWN_HEADER) for k, v in shown.items()},
        response_body=shown_body,
        error=redactor.shown(error, SHOWN_HEADER),
    )


def shown_headers(
    headers: Mapping[str, str], redactor: Redactor, names: tuple[str, ...]
) -> dict[str, str]:
    return {
        n: redactor.shown(redactor.redact_header(n, headers[n]), SHOWN_HEADER)
        for n in names
        if n in headers
    }


def register_form_secrets(body: str, redactor: Redactor) -> None:
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
