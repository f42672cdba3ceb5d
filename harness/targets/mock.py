"""The mock target: the embedded mock issuer, provisioned, and both APIs pointed at it.

The mock issuer's ``.env`` (the variables of ZITADEL's examples) configures the APIs and the
token recipes exactly as a user's ``.env`` configures them against a live instance. On top,
the mock gives what no live instance can: service users with JWT access tokens (RFC 9068), a
role-less user, a second project's audience, revocation (RFC 7009), the issuer's clock for
expiry (RFC 7662 §2.2), and fault injection. Every change to clock or faults is undone when
its ``with`` block exits, because the APIs sign their client assertions with the real clock.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from harness.logcapture import LogCapture
from harness.model.matrix import Grant, Mechanism, Mode, TokenFormat, Variant
from harness.model.routes import Routes
from harness.model.waits import StatedWaits
from harness.redaction import Redactor
from harness.targets.apis import ApiFactories, ApiServers, api_client
from harness.targets.base import Holder, IssuedToken
from harness.targets.discovery_guard import DiscoveryGuard
from harness.targets.issuer_calls import IssuerCalls
from harness.targets.issuer_tap import record_introspection
from harness.targets.mock_keys import SigningKeys
from harness.targets.mock_powers import MockPowers
from harness.targets.mock_recipes import mock_recipes
from harness.targets.mock_world import jwt_format_users, register_secrets
from harness.targets.recording import IssuerTraffic
from harness.targets.tokens import TokenBroker, role_recipes
from mock_issuer import (
    INTROSPECTION,
    ROLE,
    KeyPool,
    MockIssuer,
    Provisioned,
    odd_client_secret,
)
from oauthkit import EnvSource

# Short, so "slower than the timeout" costs two seconds per check (waited side by side), not
# five; it is a total deadline (discovery included), and checks run side by side on a busy
# machine, so not shorter, or valid tokens turn into 503s.
INTROSPECTION_TIMEOUT_S = 2.0
SLOW_FAULT_S = 3.0
API_TIMEOUT_S = 10.0
# A short JWKS refresh cooldown keeps the key-rotation checks of the local-JWT API quick.
_MOCK_ENV = {
    "INTROSPECTION_TIMEOUT": str(INTROSPECTION_TIMEOUT_S),
    "INTROSPECTION_CACHE_TTL": "0",
    "JWKS_REFRESH_COOLDOWN": "1",
}


class MockTarget(MockPowers):
    """A started mock issuer with both sample APIs; ``close()`` stops everything."""

    mode = Mode.MOCK
    live_format = TokenFormat.OPAQUE
    notes: tuple[str, ...] = ()
    routes = Routes()

    def __init__(
        self, factories: ApiFactories | None = None, slow_fault_s: float = SLOW_FAULT_S
    ) -> None:
        self.slow_fault_s = slow_fault_s
        self.redactor = Redactor()
        self.logs = LogCapture().install()
        self.http = api_client(API_TIMEOUT_S)
        self._propagation_users = 0
        self._users_lock = threading.Lock()
        self.discovery = DiscoveryGuard()
        self._other_project_holders = {}
        self._workdir = tempfile.TemporaryDirectory(prefix="harness-mock-")
        self.issuer_traffic = IssuerTraffic()
        # One issuer per target, never meeting another: a worker's targets share key material.
        self.issuer_server = MockIssuer(key_pool=KeyPool(shared=True))
        # The issuer's own view of every API's introspection request, subjects' included.
        self.issuer_server.app = record_introspection(
            self.issuer_server.app, INTROSPECTION, self.redactor, self.issuer_traffic.add
        )
        self.issuer_server.start()
        try:
            self._start(factories or {})
        except BaseException:
            self.close()
            raise

    def _start(self, factories: ApiFactories) -> None:
        self.world: Provisioned = self.issuer_server.provision()
        self.jwt_users = jwt_format_users(self.issuer_server, self.world)
        # RFC 6749 §2.3.1: only a client that form-urlencodes its Basic header gets in.
        self.odd_secret_app = self.issuer_server.add_api_app(
            self.world.project.id, "client_secret_basic", client_secret=odd_client_secret()
        )
        self.keys = SigningKeys(
            self.issuer_server, self.jwt_users[Holder.ROLE], self.world.project.id, self.redactor
        )
        env_file = self.env_file = self.world.write_env(Path(self._workdir.name))
        env = self.env = EnvSource.load(env_file, _MOCK_ENV, required=True)
        register_secrets(self.redactor, self.world, self.odd_secret_app, self.jwt_users)
        recipes = mock_recipes(env, self.world, self.jwt_users)
        self.broker = TokenBroker(self.redactor, recipes, clock=self.issuer_server.clock.now)
        self.apis = ApiServers(env, factories).start()
        self.issuer_calls = IssuerCalls(
            self.issuer, self.redactor, self.apis.settings, role_recipes(self.broker)
        )

    @property
    def issuer(self) -> str:
        """The mock issuer's URL."""
        return self.issuer_server.issuer

    @property
    def mock(self) -> MockTarget:
        """The mock's controls (this object)."""
        return self

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the APIs' settings turn off (none, unless the ``.env`` says so)."""
        return self.apis.warnings()

    def api_url(self, auth: Mechanism) -> str:
        """Base URL of the sample API that introspects with ``auth``."""
        return self.apis.url(auth)

    def issuer_down_api_url(self, auth: Mechanism) -> str:
        """Base URL of the twin API whose issuer is a closed port."""
        return self.apis.url(auth, down=True)

    def waits(self, auth: Mechanism) -> StatedWaits:
        """What the sample's settings make it wait (the mock's .env: no cache, a 1 s cooldown)."""
        return self.apis.waits(auth)

    def foreign_origins(self, auth: Mechanism) -> frozenset[str]:
        """The other API's label and the issuer's server thread."""
        others = {self.apis.label(a) for a in Mechanism if a is not auth}
        return frozenset(others | {f"uvicorn-{urlsplit(self.issuer).port}"})

    def token(self, variant: Variant, holder: Holder = Holder.ROLE) -> IssuedToken:
        """A cached token of ``holder`` for the variant's grant and format."""
        return self.broker.token(variant.cell.grant, holder, variant.token_format)

    def revoked_token(self, variant: Variant) -> IssuedToken:
        """A new token (a new PAT for PAT cells), revoked at the issuer."""
        issued = self.fresh_token(variant)
        self.revoke(issued.access_token)
        return issued

    def expected_roles(self, grant: Grant) -> frozenset[str]:
        """Every role holder of the mock holds ``read:messages``."""
        return frozenset({ROLE})

    @property
    def subject(self) -> None:
        """The samples are the APIs here, not a subject."""
        return None

    def died_during_check(self, dropped: bool) -> str:
        """The samples run in this process: they cannot die alone."""
        return ""

    def deaths(self) -> int:
        """None: the samples run in this process."""
        return 0

    def close(self) -> None:
        """Remove the temporary files, stop the APIs and the issuer, close the client.

        The key files go first (everything that reads them has read them): a stopped run's
        worker that overruns its grace is killed, and must leave no key behind."""
        try:
            self._workdir.cleanup()
        finally:
            if hasattr(self, "apis"):
                self.apis.stop()
            if hasattr(self, "broker"):
                self.broker.transport.shut()
            self.issuer_server.stop()
            self.http.close()
            self.logs.uninstall()
