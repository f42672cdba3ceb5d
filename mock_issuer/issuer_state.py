"""The facade's state part: time, counters, signing keys, and the fault and lie switches.

A mixin of :class:`mock_issuer.issuer.MockIssuer`; everything here reads or switches the
:class:`mock_issuer.instance.Instance` it wraps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mock_issuer.clock import SettableClock
from mock_issuer.faults import FaultKind, FaultRule, Faults
from mock_issuer.instance import Instance
from mock_issuer.keyring import DEFAULT_KEEP_OLD_FOR
from mock_issuer.lies import LieKind, Lies
from mock_issuer.model import Org
from mock_issuer.records import IntrospectionLog
from mock_issuer.role_shapes import RoleShape

# How long a fault for every request waits for the requests that came before it.
SETTLE_S = 5.0


class State:
    """The clock, token lifetime, counters, signing keys, faults, lies and records."""

    _instance: Instance

    @property
    def instance(self) -> Instance:
        """The underlying state (for tests that need to look inside)."""
        return self._instance

    @property
    def clock(self) -> SettableClock:
        """The clock every time rule reads."""
        return self._instance.clock

    @property
    def org(self) -> Org:
        """The instance's organisation (every service user belongs to it)."""
        return self._instance.org

    @property
    def access_token_lifetime(self) -> float:
        """Lifetime of new access tokens in seconds (default 43200, ZITADEL's 12 h)."""
        return self._instance.access_token_lifetime

    @access_token_lifetime.setter
    def access_token_lifetime(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError(f"access_token_lifetime must be positive, got {seconds}.")
        self._instance.access_token_lifetime = seconds

    @property
    def access_token_typ(self) -> str:
        """The ``typ`` header of new JWT access tokens: ``JWT`` (ZITADEL's) or ``at+jwt``."""
        return self._instance.access_token_typ

    @access_token_typ.setter
    def access_token_typ(self, typ: str) -> None:
        self._instance.access_token_typ = typ

    @property
    def introspection_calls(self) -> int:
        """Requests that reached ``POST /oauth/v2/introspect`` (a dropped one does not)."""
        return self._instance.introspection_calls

    @property
    def jwks_calls(self) -> int:
        """Requests that reached ``GET /oauth/v2/keys`` (a dropped one does not)."""
        return self._instance.jwks_calls

    @property
    def signing_kid(self) -> str:
        """The ``kid`` of the key that signs tokens now."""
        return self._instance.signing_key().kid

    def rotate_signing_key(
        self, *, keep_old_for: float = DEFAULT_KEEP_OLD_FOR, publish_after: float = 0.0
    ) -> str:
        """Sign with a new key from now on; return its ``kid``.

        The old key stays in the JWKS for ``keep_old_for`` seconds by :attr:`clock`; the new
        one is published only ``publish_after`` seconds from now (ZITADEL may use a key it made
        on demand before its JWKS shows it).
        """
        key = self._instance.keys.rotate(keep_old_for=keep_old_for, publish_after=publish_after)
        return key.kid

    def add_web_key(self, algorithm: str = "ES256") -> str:
        """Publish a new web key (``ES256``: EC P-256, or ``RS256``) that does not sign; its kid.

        As a ZITADEL web key between creation and activation: in the JWKS, signing nothing.
        ``instance.keys.by_kid(kid)`` holds its private key, for tests that sign with it.
        """
        return self._instance.keys.add_inactive(algorithm).kid

    @property
    def faults(self) -> Faults:
        """The fault switches (``set``, ``remove``, ``clear``)."""
        return self._instance.faults

    @contextmanager
    def fault(
        self,
        kind: FaultKind,
        *,
        endpoint: str | None = None,
        seconds: float = 0.0,
        status: int = 503,
        client_id: str | None = None,
        token: str | None = None,
    ) -> Iterator[FaultRule]:
        """Switch a fault on for the ``with`` block (``token``: for requests about it only).

        A fault for every request is in force once the block starts: the requests to its
        endpoint that came before it are answered first (at most `SETTLE_S`). Blocks of the same
        fault may overlap (one check's variants each holding an endpoint down): the fault is on
        until the last of them ends."""
        fault = self.faults.set(
            kind, endpoint=endpoint, seconds=seconds, status=status, client_id=client_id,
            token=token, replace=False,
        )  # fmt: skip
        if token is None:
            self.faults.settled(endpoint, SETTLE_S)
        try:
            yield fault
        finally:
            self.faults.remove(fault)

    @property
    def lies(self) -> Lies:
        """The lie switches (``set``, ``remove``, ``clear``): wrong answers, well-formed HTTP."""
        return self._instance.lies

    @contextmanager
    def lie(self, kind: LieKind, token: str | None = None) -> Iterator[LieKind]:
        """Switch a lie on for the ``with`` block (``token``: told about that token only)."""
        self.lies.set(kind, token)
        try:
            yield kind
        finally:
            self.lies.remove(kind, token)

    @contextmanager
    def role_shape(self, shape: RoleShape) -> Iterator[RoleShape]:
        """New JWT access tokens and introspection answers carry roles in ``shape`` in the block."""
        self._instance.role_shape = shape
        try:
            yield shape
        finally:
            self._instance.role_shape = None

    @property
    def introspections(self) -> IntrospectionLog:
        """What each client sent to the introspection endpoint (facts, never secrets)."""
        return self._instance.introspections
