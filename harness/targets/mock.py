"""The mock target: the embedded mock issuer, provisioned, and both APIs pointed at it.

The mock issuer's ``.env`` (the variables of ZITADEL's examples) configures the APIs and the
token recipes exactly as a user's ``.env`` configures them against a live instance. On top,
the mock gives what no live instance can: service users with JWT access tokens (RFC 9068), a
role-less user, a second project's audience, revocation (RFC 7009), the issuer's clock for
expiry (RFC 7662 §2.2), and fault injection. Every change to clock or faults is undone when
its ``with`` block exits, because the APIs sign their client assertions with the real clock.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness.logcapture import LogCapture
from harness.model.matrix import Grant, Mechanism, Mode, TokenFormat, Variant
from harness.model.routes import Routes
from harness.redaction import Redactor
from harness.targets.apis import ApiFactories, ApiServers, api_client
from harness.targets.base import Holder, IntrospectionFacts, IssuedToken, IssuerFault
from harness.targets.issuer_calls import IssuerCalls
from harness.targets.mock_keys import SigningKeys
from harness.targets.mock_recipes import mock_recipes
from harness.targets.recording import IssuerTraffic, record_introspection
from harness.targets.tokens import TokenBroker, role_recipes
from mock_issuer import (
    INTROSPECTION,
    ROLE,
    AccessTokenType,
    FaultKind,
    LieKind,
    MockIssuer,
    Provisioned,
    ServiceUser,
    odd_client_secret,
)
from oauthkit import ClientSecret, EnvSource, load_client_credentials_settings

# Short, so "slower than the timeout" costs a second per check, not five; it is a total deadline
# (discovery included), so not shorter, or a busy machine turns valid tokens into 503s.
INTROSPECTION_TIMEOUT_S = 1.0
SLOW_FAULT_S = 2.0
EXPIRING_LIFETIME_S = 5.0
CLOCK_JUMP_S = 30.0
API_TIMEOUT_S = 10.0
# A short JWKS refresh cooldown keeps the key-rotation checks of the local-JWT API quick.
_MOCK_ENV = {
    "INTROSPECTION_TIMEOUT": str(INTROSPECTION_TIMEOUT_S),
    "INTROSPECTION_CACHE_TTL": "0",
    "JWKS_REFRESH_COOLDOWN": "1",
}
_FAULTS: dict[IssuerFault, dict[str, Any]] = {
    IssuerFault.SLOW: {"kind": FaultKind.LATENCY, "seconds": SLOW_FAULT_S},
    IssuerFault.SERVER_ERROR: {"kind": FaultKind.SERVER_ERROR, "status": 500},
    IssuerFault.MALFORMED_JSON: {"kind": FaultKind.MALFORMED_JSON},
    IssuerFault.DROP_CONNECTION: {"kind": FaultKind.DROP_CONNECTION},
}


class MockTarget:
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
        self._workdir = tempfile.TemporaryDirectory(prefix="harness-mock-")
        self.issuer_traffic = IssuerTraffic()
        self.issuer_server = MockIssuer()
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
        self.jwt_users = _jwt_format_users(self.issuer_server, self.world)
        # RFC 6749 §2.3.1: only a client that form-urlencodes its Basic header gets in.
        self.odd_secret_app = self.issuer_server.add_api_app(
            self.world.project.id, "client_secret_basic", client_secret=odd_client_secret()
        )
        self.keys = SigningKeys(
            self.issuer_server, self.jwt_users[Holder.ROLE], self.world.project.id, self.redactor
        )
        env_file = self.world.write_env(Path(self._workdir.name))
        env = self.env = EnvSource.load(env_file, _MOCK_ENV, required=True)
        self._register_secrets()
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

    def foreign_origins(self, auth: Mechanism) -> frozenset[str]:
        """The other API's label and the issuer's server thread."""
        others = {self.apis.label(a) for a in Mechanism if a is not auth}
        return frozenset(others | {f"uvicorn-{urlsplit(self.issuer).port}"})

    def token(self, variant: Variant, holder: Holder = Holder.ROLE) -> IssuedToken:
        """A cached token of ``holder`` for the variant's grant and format."""
        return self.broker.token(variant.cell.grant, holder, variant.token_format)

    def fresh_token(self, variant: Variant) -> IssuedToken:
        """A new token of the role holder (a new PAT for PAT cells)."""
        if variant.cell.grant is Grant.PAT:
            return self._new_pat(expires_at=None)
        return self.broker.fresh(variant.cell.grant, Holder.ROLE, variant.token_format)

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

    # -- MockControls -------------------------------------------------------------------

    @contextmanager
    def fault(self, fault: IssuerFault) -> Iterator[None]:
        """The issuer's introspection endpoint misbehaves inside the block."""
        with ExitStack() as stack:
            for options in self._fault_options(fault):
                stack.enter_context(self.issuer_server.fault(endpoint="introspect", **options))
            yield

    @contextmanager
    def lie(self, lie: LieKind) -> Iterator[None]:
        """The issuer answers with ``lie`` inside the block."""
        with self.issuer_server.lie(lie):
            yield

    @contextmanager
    def fresh_api(self, auth: Mechanism) -> Iterator[str]:
        """A newly started sample API (nothing cached, discovery unread), for the block."""
        with self.apis.fresh(auth) as url:
            yield url

    @contextmanager
    def odd_secret_api(self, auth: Mechanism) -> Iterator[str]:
        """A newly started basic-auth API authenticating as the app with the odd secret."""
        app = self.odd_secret_app
        credentials = ClientSecret(app.client_id, app.client_secret or "")
        with self.apis.fresh(auth, credentials) as url:
            yield url

    def propagation_subject(self, token_format: TokenFormat) -> _Changeable:
        """A new role-holding user (secret; opaque or JWT tokens) and a fresh token of theirs."""
        self._propagation_users += 1
        kind: AccessTokenType = "jwt" if token_format is TokenFormat.JWT else "bearer"
        user = self.issuer_server.add_service_user(
            f"propagation-user-{self._propagation_users}", roles=(ROLE,),
            project_id=self.world.project.id, access_token_type=kind, with_secret=True,
        )  # fmt: skip
        _register_user(self.redactor, user)
        secret = ClientSecret(user.username, user.client_secret or "")
        settings = dataclasses.replace(
            load_client_credentials_settings(self.env), credentials=secret
        )
        token = self.broker.obtain(Grant.CLIENT_CREDENTIALS, settings).access_token
        return _Changeable(token, user.user_id, self.world.project.id, self.issuer_server)

    @contextmanager
    def cached_api(self, auth: Mechanism, ttl: float) -> Iterator[str]:
        """A newly started sample API caching introspection answers for ``ttl`` seconds."""
        with self.apis.fresh(auth, cache_ttl=ttl) as url:
            yield url

    def introspection_mark(self) -> int:
        """How many introspection requests the issuer has recorded so far."""
        return len(self.issuer_server.introspections)

    def introspections_since(self, mark: int) -> list[IntrospectionFacts]:
        """The introspection requests recorded from ``mark`` on."""
        return self.issuer_server.introspections.since(mark)

    @contextmanager
    def expired_token(self, variant: Variant) -> Iterator[str]:
        """A short-lived token, with the issuer's clock moved past its expiry in the block."""
        token = self._short_lived(variant)
        self.issuer_server.clock.advance(CLOCK_JUMP_S)
        try:
            yield token
        finally:
            self.issuer_server.clock.advance(-CLOCK_JUMP_S)

    def revoke(self, token: str) -> None:
        """Revoke a token at the issuer."""
        self.issuer_server.revoke_token(token)

    def close(self) -> None:
        """Stop the APIs and the issuer, close the client, remove the temporary files."""
        if hasattr(self, "apis"):
            self.apis.stop()
        self.issuer_server.stop()
        self.http.close()
        self.logs.uninstall()
        self._workdir.cleanup()

    # -- internals ----------------------------------------------------------------------

    def _fault_options(self, fault: IssuerFault) -> list[dict[str, Any]]:
        if fault is IssuerFault.REJECT_CLIENT:
            apps = (self.world.api_jwt_app, self.world.api_basic_app)
            return [{"kind": FaultKind.REJECT_CLIENT, "client_id": a.client_id} for a in apps]
        if fault is IssuerFault.SLOW:
            return [{**_FAULTS[fault], "seconds": self.slow_fault_s}]
        return [_FAULTS[fault]]

    def _short_lived(self, variant: Variant) -> str:
        if variant.cell.grant is Grant.PAT:
            expires_at = self.issuer_server.clock.now() + EXPIRING_LIFETIME_S
            return self._new_pat(expires_at).access_token
        saved = self.issuer_server.access_token_lifetime
        self.issuer_server.access_token_lifetime = EXPIRING_LIFETIME_S
        try:
            return self.fresh_token(variant).access_token
        finally:
            self.issuer_server.access_token_lifetime = saved

    def _new_pat(self, expires_at: float | None) -> IssuedToken:
        pat = self.issuer_server.issue_pat(self.world.pat_user.user_id, expires_at)
        self.redactor.add(pat)
        return IssuedToken(pat)

    def _register_secrets(self) -> None:
        world = self.world
        for app in (world.api_jwt_app, world.api_basic_app, world.other_api_app):
            if app.client_secret:
                self.redactor.add_basic(app.client_id, app.client_secret)
        if self.odd_secret_app.client_secret:
            self.redactor.add_basic(
                self.odd_secret_app.client_id, self.odd_secret_app.client_secret
            )
            if app.key_file:
                self.redactor.add(app.key_file["key"])
        users = (world.jwt_user, world.cc_user, world.pat_user, world.norole_user)
        for user in users + tuple(self.jwt_users.values()):
            _register_user(self.redactor, user)


def _register_user(redactor: Redactor, user: ServiceUser) -> None:
    if user.client_secret:
        redactor.add_basic(user.username, user.client_secret)
    if user.key_file:
        redactor.add(user.key_file["key"])
    redactor.add(user.pat)


def _jwt_format_users(issuer: MockIssuer, world: Provisioned) -> dict[Holder, ServiceUser]:
    """Service users like the provisioned ones, but issued JWT access tokens (RFC 9068)."""
    project = world.project.id
    return {
        Holder.ROLE: issuer.add_service_user(
            "jwt-format-user", roles=(ROLE,), project_id=project, access_token_type="jwt",
            with_key=True, with_secret=True,
        ),
        Holder.NO_ROLE: issuer.add_service_user(
            "jwt-format-norole-user", access_token_type="jwt", with_key=True, with_secret=True
        ),
    }  # fmt: skip


@dataclass
class _Changeable:
    """A propagation subject of the mock: its token, and the changes made at the issuer."""

    token: str = field(repr=False)
    user_id: str
    project_id: str
    issuer: MockIssuer = field(repr=False)

    def revocation(self) -> None:
        """Revoke the token."""
        self.issuer.revoke_token(self.token)

    def role_removal(self) -> None:
        """Take read:messages away."""
        self.issuer.revoke_role(self.user_id, self.project_id, ROLE)

    def deactivation(self) -> None:
        """Deactivate the user."""
        self.issuer.deactivate_user(self.user_id)
