"""The mock issuer facade: one object to build, start, provision and break (RFC 8414 §2).

Modelled on navikt/mock-oauth2-server: ``start(port=0)``/``stop()``, URL helpers, admin calls
and fault switches, all on :class:`MockIssuer`. Its methods live in three parts by concern:
serving and URLs (:mod:`mock_issuer.issuer_serving`), creating resources
(:mod:`mock_issuer.issuer_resources`), and time, keys, faults, lies and records
(:mod:`mock_issuer.issuer_state`); the ready-made world is here.
"""

from __future__ import annotations

from starlette.types import ASGIApp

from mock_issuer.app import build_app
from mock_issuer.clock import SettableClock
from mock_issuer.instance import Instance
from mock_issuer.issuer_resources import Resources
from mock_issuer.issuer_serving import Serving
from mock_issuer.issuer_state import State
from mock_issuer.keys import KeyPool
from mock_issuer.model import AccessTokenType
from mock_issuer.provision import Provisioned, provision
from mock_issuer.server import BackgroundServer

DEFAULT_ISSUER = "http://issuer.test"


class MockIssuer(Serving, Resources, State):
    """A ZITADEL-shaped OAuth issuer: an ASGI app, or a real server once started.

    In-process, ``issuer`` stays what was passed. ``start()`` serves it on loopback and the
    issuer URL becomes the server's URL (or ``issuer_url`` when given).
    """

    def __init__(
        self,
        issuer: str = DEFAULT_ISSUER,
        clock: SettableClock | None = None,
        key_pool: KeyPool | None = None,
    ) -> None:
        self._instance = Instance(
            issuer=issuer, clock=clock or SettableClock(), key_pool=key_pool or KeyPool()
        )
        self.app: ASGIApp = build_app(self._instance)
        self._server: BackgroundServer | None = None
        self._provisioned: Provisioned | None = None

    def provision(self, access_token_type: AccessTokenType = "bearer") -> Provisioned:
        """The ready-made world (see :class:`Provisioned`); made once, then returned again."""
        if self._provisioned is None:
            self._provisioned = provision(self, access_token_type)
        return self._provisioned.with_issuer(self.issuer)

    @property
    def world(self) -> Provisioned:
        """What :meth:`provision` made: ids, key files, secrets and PATs."""
        if self._provisioned is None:
            raise RuntimeError("MockIssuer.world is only there after provision(); call it first.")
        return self._provisioned.with_issuer(self.issuer)
