"""Fault injection: make the issuer slow, failing, garbled, silent or hostile on demand.

Used to check that APIs turn issuer trouble into 503 (RFC 7662 §4 leaves the outcome of a
failed introspection call to the resource server; RFC 6750 §3.1 has no code for it). Faults are
switched per test and are thread-safe, since the server runs in another thread.

:class:`FaultLayer` is the outermost ASGI wrapper. ``DROP_CONNECTION`` raises
:class:`mock_issuer.server.DropConnection`: under a real server the client sees a connection
error; in-process through ``httpx.ASGITransport`` that exception reaches the caller.
"""

from __future__ import annotations

import asyncio
import enum
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_issuer.paths import ENDPOINT_NAMES
from mock_issuer.scoped import token_of
from mock_issuer.server import DropConnection


class FaultKind(enum.Enum):
    """What goes wrong."""

    LATENCY = "latency"
    SERVER_ERROR = "server_error"
    MALFORMED_JSON = "malformed_json"
    DROP_CONNECTION = "drop_connection"
    REJECT_CLIENT = "reject_client"


@dataclass(frozen=True)
class FaultRule:
    """One switched-on fault; ``endpoint`` None means every endpoint, ``token`` None every
    request (else only requests about that token: see :mod:`mock_issuer.scoped`)."""

    kind: FaultKind
    endpoint: str | None = None
    seconds: float = 0.0
    status: int = 503
    client_id: str | None = None
    token: str | None = field(default=None, repr=False)

    def covers(self, token: str | None) -> bool:
        """Whether the rule applies to a request about ``token``."""
        return self.token is None or self.token == token


class Faults:
    """The set of active faults of one issuer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: list[FaultRule] = []
        # Requests being answered without a fault, per endpoint (see `settled`).
        self._passing: dict[str | None, int] = {}
        self._quiet = threading.Condition(self._lock)

    def set(
        self,
        kind: FaultKind,
        *,
        endpoint: str | None = None,
        seconds: float = 0.0,
        status: int = 503,
        client_id: str | None = None,
        token: str | None = None,
        replace: bool = True,
    ) -> FaultRule:
        """Switch a fault on (replacing one of the same kind and target, unless ``replace`` is
        False: then each is on until it is removed itself); return it."""
        _validate(kind, endpoint, status, client_id)
        fault = FaultRule(kind, endpoint, seconds, status, client_id, token)
        with self._lock:
            if replace:
                self._active = [f for f in self._active if not _same_target(f, fault)]
            self._active.append(fault)
        return fault

    @contextmanager
    def passing(self, endpoint: str | None) -> Iterator[None]:
        """A request to ``endpoint`` is being answered without a fault in the block."""
        with self._lock:
            self._passing[endpoint] = self._passing.get(endpoint, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._passing[endpoint] -= 1
                self._quiet.notify_all()

    def settled(self, endpoint: str | None, timeout_s: float) -> bool:
        """Wait until no request to ``endpoint`` (None: to any) is being answered without a
        fault: one that came before a fault was switched on is answered before it takes hold
        (a key published after that is not in an answer that fault should have refused)."""

        def quiet() -> bool:
            counts = (
                self._passing.values() if endpoint is None else [self._passing.get(endpoint, 0)]
            )
            return not any(counts)

        with self._lock:
            return self._quiet.wait_for(quiet, timeout_s)

    def remove(self, fault: FaultRule) -> None:
        """Switch one fault off (no error if it is already off)."""
        with self._lock:
            # By identity: two checks may switch on the same fault, each ending only its own.
            self._active = [f for f in self._active if f is not fault]

    def clear(self) -> None:
        """Switch every fault off."""
        with self._lock:
            self._active = []

    def for_endpoint(self, endpoint: str | None, token: str | None = None) -> list[FaultRule]:
        """The request-level faults that apply to ``endpoint`` (for a request about ``token``)."""
        with self._lock:
            return [
                f
                for f in self._active
                if f.kind is not FaultKind.REJECT_CLIENT
                and f.endpoint in (None, endpoint)
                and f.covers(token)
            ]

    def scoped(self, endpoint: str | None) -> bool:
        """Whether a fault scoped to a token is on for ``endpoint`` (its body must be read)."""
        with self._lock:
            return any(f.token is not None and f.endpoint in (None, endpoint) for f in self._active)

    def rejects(self, client_id: str, token: str | None = None) -> bool:
        """Whether the issuer must refuse this API app's credentials (asking about ``token``)."""
        with self._lock:
            return any(
                f.kind is FaultKind.REJECT_CLIENT and f.client_id == client_id and f.covers(token)
                for f in self._active
            )


def _same_target(a: FaultRule, b: FaultRule) -> bool:
    return (a.kind, a.endpoint, a.client_id, a.token) == (b.kind, b.endpoint, b.client_id, b.token)


def _validate(kind: FaultKind, endpoint: str | None, status: int, client_id: str | None) -> None:
    known = set(ENDPOINT_NAMES.values())
    if endpoint is not None and endpoint not in known:
        raise ValueError(f"Unknown endpoint {endpoint!r} for a fault; use one of {sorted(known)}.")
    if kind is FaultKind.REJECT_CLIENT and not client_id:
        raise ValueError("FaultKind.REJECT_CLIENT needs client_id= (the API app to reject).")
    if kind is FaultKind.SERVER_ERROR and not 500 <= status <= 599:
        raise ValueError(f"FaultKind.SERVER_ERROR needs a 5xx status, got {status}.")


class FaultLayer:
    """ASGI middleware applying the active faults before the issuer app sees a request."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request, with faults."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        endpoint, token = ENDPOINT_NAMES.get(scope["path"]), None
        if self.faults.scoped(endpoint):
            token, receive = await token_of(scope, receive)
        faults = self.faults.for_endpoint(endpoint, token)
        kinds = {f.kind: f for f in faults}
        if FaultKind.LATENCY in kinds:
            await asyncio.sleep(kinds[FaultKind.LATENCY].seconds)
        if FaultKind.DROP_CONNECTION in kinds:
            raise DropConnection()
        if FaultKind.SERVER_ERROR in kinds:
            body = {"error": "server_error", "error_description": "injected fault"}
            await _respond(send, kinds[FaultKind.SERVER_ERROR].status, json.dumps(body).encode())
        elif FaultKind.MALFORMED_JSON in kinds:
            await _respond(send, 200, b'{"active": true, "sub": ')
        else:
            with self.faults.passing(endpoint):
                await self.app(scope, receive, send)


async def _respond(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
