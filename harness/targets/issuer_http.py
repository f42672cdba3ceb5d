"""The harness's own HTTP to issuers and APIs: one TLS context per process, discovery read once.

Building an `httpx.Client` loads the CA bundle, tens of milliseconds of CPU each time; the
harness opens a client per recorded call (thousands in a run), so they all share one context
(`tls_context`). The harness's token requests find the token endpoint by discovery (RFC 8414
§3): `DiscoveryOnce` answers every discovery request after a target's first from what that one
got, so the document is read once per target, and a lie about it, told to an API starting
afresh, is never told to the harness's own grants running beside it.
"""

from __future__ import annotations

import functools
import ssl
import threading
from dataclasses import dataclass

import httpx

from oauthkit import discovery_url


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The process's one TLS context for verified HTTPS (httpx's defaults: certifi's CAs)."""
    return httpx.create_ssl_context()


@dataclass(frozen=True)
class _Kept:
    status: int
    headers: httpx.Headers
    raw: bytes


class DiscoveryOnce(httpx.BaseTransport):
    """A target's transport for the harness's issuer calls: each discovery document read once.

    Shared by many short-lived clients, so closing a client leaves it open; `shut` closes it.
    Only a 200 answer is kept: a failed discovery is asked again next time.
    """

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport(verify=tls_context())
        self._kept: dict[str, _Kept] = {}
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, or answer a discovery request from the first answer kept."""
        url = str(request.url)
        if request.method != "GET" or not url.endswith(discovery_url("")):
            return self._sent(request)
        with self._lock:
            kept = self._kept.get(url)
        if kept is None:
            response = self._sent(request)
            kept = _Kept(response.status_code, response.headers, b"".join(response.iter_raw()))
            response.close()
            if kept.status == 200:
                with self._lock:
                    self._kept.setdefault(url, kept)
        return httpx.Response(kept.status, headers=kept.headers, content=kept.raw, request=request)

    def _sent(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._inner.handle_request(request)
        except (httpx.RemoteProtocolError, httpx.ReadError):
            # A kept-alive connection the issuer closed as the request went out: a race every
            # client of a keep-alive server meets (under load, the harness's own grants did).
            # These are the harness's own calls, no check's evidence: sent once more, anew.
            return self._inner.handle_request(request)

    def close(self) -> None:
        """Nothing: the clients sharing this transport come and go; see `shut`."""

    def shut(self) -> None:
        """Close the pooled connections (when the target closes)."""
        self._inner.close()
