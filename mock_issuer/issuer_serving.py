"""The facade's serving part: start and stop a real server, and the issuer's URLs (RFC 8414 §3).

A mixin of :class:`mock_issuer.issuer.MockIssuer`; it owns the background server and the
issuer URL that ``start()`` settles.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from starlette.types import ASGIApp

from mock_issuer import paths
from mock_issuer.instance import Instance
from mock_issuer.server import BackgroundServer


class Serving:
    """``start()``/``stop()``, the context manager, and the URLs of the endpoints."""

    app: ASGIApp
    _instance: Instance
    _server: BackgroundServer | None

    def start(
        self, host: str = "127.0.0.1", port: int = 0, *, issuer_url: str | None = None
    ) -> Self:
        """Serve on ``host:port`` (0 = a free port) in a background thread."""
        if self._server is not None:
            raise RuntimeError("MockIssuer is already started; stop() it first.")
        self._server = BackgroundServer(self.app, host=host, port=port).start()
        public_host = "localhost" if host in ("0.0.0.0", "::") else host
        default_url = self._server.url.replace(f"//{host}:", f"//{public_host}:")
        self._instance.issuer = (issuer_url or default_url).rstrip("/")
        return self

    def stop(self) -> None:
        """Stop the server, if running; safe to call twice."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> Self:
        return self if self._server is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def listen_url(self) -> str:
        """Where the server really listens, e.g. ``http://127.0.0.1:54321`` (after ``start()``).

        Differs from :attr:`issuer` when ``issuer_url`` was given (a proxy or a public name).
        """
        if self._server is None:
            raise RuntimeError("MockIssuer.listen_url is only known after start().")
        return self._server.url

    @property
    def issuer(self) -> str:
        """The issuer URL (``iss``), no trailing slash."""
        return self._instance.issuer

    @property
    def discovery_url(self) -> str:
        """``{issuer}/.well-known/openid-configuration``."""
        return self.issuer + paths.DISCOVERY

    @property
    def token_endpoint(self) -> str:
        """``{issuer}/oauth/v2/token``."""
        return self.issuer + paths.TOKEN

    @property
    def introspection_endpoint(self) -> str:
        """``{issuer}/oauth/v2/introspect``."""
        return self.issuer + paths.INTROSPECTION

    @property
    def revocation_endpoint(self) -> str:
        """``{issuer}/oauth/v2/revoke``."""
        return self.issuer + paths.REVOCATION

    @property
    def userinfo_endpoint(self) -> str:
        """``{issuer}/oidc/v1/userinfo``."""
        return self.issuer + paths.USERINFO

    @property
    def jwks_uri(self) -> str:
        """``{issuer}/oauth/v2/keys``."""
        return self.issuer + paths.JWKS
