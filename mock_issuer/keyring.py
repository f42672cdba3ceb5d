"""The instance's signing keys over time: rotation on demand, the JWK Set (RFC 7517 §5).

ZITADEL signs JWT access tokens and ID tokens with its newest web key and keeps older keys in
`/oauth/v2/keys` for a while, so tokens signed before a rotation still verify; a key it makes
on demand may be used before it shows up there (zitadel-spec §7.1: "keys rotate without
notice"). :class:`KeyRing` models both: :meth:`KeyRing.rotate` makes a new signing key at once,
keeps the old one published for ``keep_old_for`` seconds, and can hold the new one back from
the JWKS for ``publish_after`` seconds. :meth:`KeyRing.add_inactive` makes a web key that is
published but does not sign, as ZITADEL's web keys are between creation and activation (an EC
P-256 one, for checks of APIs that trust ES256). Times are read from the instance clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from mock_issuer.keys import KeyPool, SigningKey, generate_web_key

DEFAULT_KEEP_OLD_FOR = 24 * 3600.0


@dataclass(frozen=True)
class RingKey:
    """A signing key with the window in which the JWKS shows it (``retired_at`` None: open)."""

    key: SigningKey
    published_at: float
    retired_at: float | None = None

    def published(self, now: float) -> bool:
        """Whether the JWKS lists this key at ``now``."""
        return self.published_at <= now and (self.retired_at is None or now < self.retired_at)


class KeyRing:
    """Every signing key the instance made; the newest one signs (thread-safe)."""

    def __init__(
        self, new_id: Callable[[], str], clock: Callable[[], float], pool: KeyPool
    ) -> None:
        self._new_id = new_id
        self._clock = clock
        self._pool = pool
        self._lock = threading.Lock()
        self._keys: list[RingKey] = []
        self._inactive: list[SigningKey] = []

    def signing_key(self) -> SigningKey:
        """The key that signs now; the first is made (and published) on first use."""
        with self._lock:
            if not self._keys:
                self._keys.append(RingKey(self._make(), published_at=float("-inf")))
            return self._keys[-1].key

    def rotate(
        self, *, keep_old_for: float = DEFAULT_KEEP_OLD_FOR, publish_after: float = 0.0
    ) -> SigningKey:
        """A new signing key (new ``kid``), used at once, published ``publish_after`` s later.

        The keys signing until now stay in the JWKS for ``keep_old_for`` more seconds.
        """
        if keep_old_for < 0 or publish_after < 0:
            raise ValueError("keep_old_for and publish_after must not be negative.")
        self.signing_key()
        now = self._clock()
        with self._lock:
            self._keys = [
                RingKey(k.key, k.published_at, _earliest(k.retired_at, now + keep_old_for))
                for k in self._keys
            ]
            key = self._make()
            self._keys.append(RingKey(key, published_at=now + publish_after))
            return key

    def add_inactive(self, algorithm: str) -> SigningKey:
        """A new web key for ``algorithm``, published from now on, that never signs tokens."""
        key = generate_web_key(self._new_id(), algorithm, self._pool)
        with self._lock:
            self._inactive.append(key)
        return key

    def published(self) -> list[SigningKey]:
        """The keys the JWKS lists now, newest signing key first, inactive web keys last."""
        self.signing_key()
        now = self._clock()
        with self._lock:
            return [k.key for k in reversed(self._keys) if k.published(now)] + self._inactive

    def by_kid(self, kid: object) -> SigningKey | None:
        """Any key of this instance by ``kid`` (published or not, signing or inactive)."""
        with self._lock:
            keys = [k.key for k in self._keys] + self._inactive
            return next((k for k in keys if k.kid == kid), None)

    def _make(self) -> SigningKey:
        return SigningKey(self._new_id(), self._pool.take())


def _earliest(current: float | None, proposed: float) -> float:
    return proposed if current is None else min(current, proposed)
