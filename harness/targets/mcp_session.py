"""MCP's streamable HTTP transport: the protected call to a subject whose protocol is ``mcp``.

MCP 2025-11-25, basic/transports (Streamable HTTP): each client message is one JSON-RPC
message POSTed to the MCP endpoint, accepting ``application/json`` and ``text/event-stream``;
the answer to a request comes as JSON or inside an SSE stream. basic/lifecycle: ``initialize``
first, then the ``notifications/initialized`` notification, then requests, each with the
``Mcp-Session-Id`` the server gave (if any) and ``MCP-Protocol-Version``. The harness's call is
``initialize``, ``initialized``, ``tools/list``; each carries the check's headers (the MCP
authorization spec: "authorization MUST be included in every HTTP request"), unless the check
gives later requests other headers; the first answer that is not 2xx ends it. The session is
then ended with ``DELETE`` (not recorded), its answer waited for at most `END_WAIT_S`: a check
that slows the issuer slows the DELETE's introspection too, and the server ends the session
when that answer comes, whether the harness still waits or not.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

import httpx

PROTOCOL_VERSION = "2025-11-25"
ACCEPT = "application/json, text/event-stream"
SESSION_HEADER = "mcp-session-id"
CLIENT_INFO = {"name": "zitadel-introspection-matrix harness", "version": "1"}
INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": PROTOCOL_VERSION, "capabilities": {}, "clientInfo": CLIENT_INFO},
}  # fmt: skip
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
TOOLS_LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
Headers = list[tuple[str, str]]
# How long a call waits for the answer to its DELETE (the server goes on without the harness).
END_WAIT_S = 1.0


@dataclass(frozen=True)
class Step:
    """One HTTP request of the call, and its response (or the transport error instead)."""

    url: str
    headers: Headers
    body: str
    response: httpx.Response | None
    error: str = ""


def call(
    http: httpx.Client, url: str, headers: Headers, later: Headers | None = None
) -> list[Step]:
    """The MCP exchange at ``url``: each step, up to the first answer that is not a 2xx.

    ``headers`` go with every request (``later`` instead, if given, after ``initialize``).
    """
    steps = [_post(http, url, headers, INITIALIZE)]
    first = steps[0].response
    if first is None or not first.is_success:
        return steps
    session = (
        [(SESSION_HEADER, first.headers[SESSION_HEADER])] if SESSION_HEADER in first.headers else []
    )
    version = str((result_of(steps[0]) or {}).get("protocolVersion") or PROTOCOL_VERSION)
    after = [*(headers if later is None else later), *session, ("MCP-Protocol-Version", version)]
    for message in (INITIALIZED, TOOLS_LIST):
        steps.append(_post(http, url, after, message))
        answer = steps[-1].response
        if answer is None or not answer.is_success:
            break
    if session:
        _end(http, url, after)
    return steps


def _post(http: httpx.Client, url: str, headers: Headers, message: dict[str, Any]) -> Step:
    sent = [("Accept", ACCEPT), ("Content-Type", "application/json"), *headers]
    body = json.dumps(message)
    try:
        response = http.post(url, headers=sent, content=body.encode())
    except httpx.HTTPError as exc:
        return Step(url, sent, body, None, f"{type(exc).__name__}: {exc}")
    return Step(url, sent, body, response)


def _end(http: httpx.Client, url: str, headers: Headers) -> None:
    with contextlib.suppress(httpx.HTTPError):  # else the session times out on its own
        http.delete(url, headers=headers, timeout=END_WAIT_S)


def messages(step: Step) -> list[dict[str, Any]]:
    """The JSON-RPC messages of an answer: its JSON body, or the data of its SSE events."""
    response = step.response
    if response is None:
        return []
    if "text/event-stream" in response.headers.get("content-type", ""):
        chunks = _events(response.text)
    else:
        chunks = [response.text]
    found = []
    for chunk in chunks:
        try:
            value = json.loads(chunk)
        except ValueError:
            continue
        found += [m for m in (value if isinstance(value, list) else [value]) if isinstance(m, dict)]
    return found


def _events(text: str) -> list[str]:
    """The data of each SSE event (WHATWG HTML §9.2: ``data:`` lines, joined by newlines)."""
    events: list[str] = []
    data: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line:
            if data:
                events.append("\n".join(data))
            data = []
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        events.append("\n".join(data))
    return events


def result_of(step: Step) -> dict[str, Any] | None:
    """The ``result`` of the JSON-RPC response in an answer, if it holds one."""
    for message in messages(step):
        result = message.get("result")
        if isinstance(result, dict):
            return result
    return None
