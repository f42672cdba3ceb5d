"""The mock issuer's signing keys and clock, as the local-JWT checks need them (RFC 7517, 9068).

Only the mock can sign a token with the issuer's own key but wrong claims, rotate its key in the
middle of a run, take its JWKS endpoint down, count how often an API fetched the keys, or issue
a token in the past or the future by its clock. Every change is undone when its block exits;
what the API is left to settle after it (a key-set fetch refused during an outage, waited out)
is owed to the next check that talks to the API (`owe`, `settle_owed`), so the run's last
local-JWT checks end without waiting it out.
Besides its RSA signing key the mock publishes an EC P-256 web key that signs nothing (as a
ZITADEL instance with an ECDSA web key not activated yet), published before any API starts.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import jwt

from harness.redaction import Redactor
from harness.targets.issuer_http import tls_context
from mock_issuer import FaultKind, MockIssuer, ServiceUser, audience_scope

# Long enough that tokens the harness already holds stay verifiable for the whole run.
KEEP_OLD_KEY_S = 24 * 3600.0


class SigningKeys:
    """Powers over the mock's signing keys, JWKS endpoint and clock."""

    def __init__(
        self, issuer: MockIssuer, user: ServiceUser, project_id: str, redactor: Redactor
    ) -> None:
        self._issuer = issuer
        self._user = user
        self._project_id = project_id
        self._redactor = redactor
        self.ec_kid = issuer.add_web_key("ES256")
        self._owed: list[Callable[[], None]] = []
        self._owed_lock = threading.Lock()

    @property
    def jwks_calls(self) -> int:
        """Requests that reached the issuer's JWKS endpoint so far."""
        return self._issuer.jwks_calls

    def rotate(self) -> str:
        """Sign with a new key from now on (the old one stays published); its ``kid``."""
        return self._issuer.rotate_signing_key(keep_old_for=KEEP_OLD_KEY_S)

    def publish_new(self) -> str:
        """A new key in the JWKS that the issuer does not sign with; its ``kid``.

        A rotation only the check that signs with it (`sign` with ``kid``) sees: the issuer's
        other tokens keep the key the API holds, so checks running beside it are undisturbed.
        """
        return self._issuer.add_web_key(algorithm="RS256")

    @contextmanager
    def jwks_down(self) -> Iterator[None]:
        """The JWKS endpoint answers 503 inside the block."""
        with self._issuer.fault(FaultKind.SERVER_ERROR, endpoint="keys", status=503):
            yield

    def owe(self, settle: Callable[[], None]) -> None:
        """Leave ``settle`` (a wait until the API is as before a change) to the next check."""
        with self._owed_lock:
            self._owed.append(settle)

    def settle_owed(self) -> None:
        """Run the waits owed so far, each once; one that fails is given up, as a wait that
        reaches its deadline is (the check that pays it is not about it)."""
        with self._owed_lock:
            owed, self._owed = self._owed, []
        for settle in owed:
            with contextlib.suppress(Exception):
                settle()

    def sign(
        self, claims: dict[str, Any], headers: dict[str, Any] | None = None, kid: str = ""
    ) -> str:
        """A JWT signed with the issuer's current key (or its key ``kid``, in its ``alg``)."""
        key = self._issuer.instance.keys.by_kid(kid) if kid else None
        key = key or self._issuer.instance.signing_key()
        token = jwt.encode(
            claims, key.private_key, algorithm=key.alg, headers={"kid": key.kid, **(headers or {})}
        )
        self._redactor.add(token)
        return token

    def published_jwks(self) -> list[dict[str, Any]]:
        """The JWK Set the issuer publishes now, read without a request (none is counted)."""
        return [key.public_jwk() for key in self._issuer.instance.keys.published()]

    @contextmanager
    def issuing_at(self, offset_s: float, lifetime_s: float) -> Iterator[None]:
        """Tokens issued inside the block are issued ``offset_s`` from now, for ``lifetime_s``."""
        saved = self._issuer.access_token_lifetime
        self._issuer.access_token_lifetime = lifetime_s
        self._issuer.clock.advance(offset_s)
        try:
            yield
        finally:
            self._issuer.clock.advance(-offset_s)
            self._issuer.access_token_lifetime = saved

    def id_token(self) -> str:
        """An ID token the issuer gave a service user (scope ``openid``) for the project."""
        scope = f"openid {audience_scope(self._project_id)}"
        form = {"grant_type": "client_credentials", "scope": scope}
        auth = (self._user.username, self._user.client_secret or "")
        with httpx.Client(timeout=10.0, verify=tls_context()) as http:
            answer = http.post(self._issuer.token_endpoint, data=form, auth=auth)
        token = answer.json().get("id_token") if answer.status_code == 200 else None
        if not isinstance(token, str):
            raise RuntimeError(f"the mock issuer gave no ID token ({answer.status_code})")
        self._redactor.add(token)
        return token
