"""What only the mock target can do (`MockControls`): faults, lies, the clock, fresh APIs.

Every change is undone when its ``with`` block exits, because the APIs sign their client
assertions with the real clock. `MockTarget` (``mock.py``) mixes this in; the attributes it
sets up are declared here.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from harness.model.matrix import Grant, Mechanism, TokenFormat, Variant
from harness.redaction import Redactor
from harness.targets.apis import ApiServers
from harness.targets.base import Holder, IntrospectionFacts, IssuedToken, IssuerFault
from harness.targets.discovery_guard import DiscoveryGuard
from harness.targets.mock_keys import SigningKeys
from harness.targets.mock_world import Changeable, fault_options, register_user
from harness.targets.tokens import TokenBroker
from mock_issuer import (
    ROLE,
    AccessTokenType,
    ApiApp,
    LieKind,
    MockIssuer,
    Provisioned,
    RoleShape,
    ServiceUser,
    audience_scope,
    token_digest,
)
from oauthkit import ClientSecret, EnvSource, load_client_credentials_settings

EXPIRING_LIFETIME_S = 5.0
CLOCK_JUMP_S = 30.0


class MockPowers:
    """The mock's controls, over the issuer, world and APIs that `MockTarget` starts."""

    issuer_server: MockIssuer
    world: Provisioned
    odd_secret_app: ApiApp
    keys: SigningKeys
    apis: ApiServers
    broker: TokenBroker
    env: EnvSource
    redactor: Redactor
    slow_fault_s: float
    _propagation_users: int
    _users_lock: threading.Lock  # checks side by side add users: one at a time
    # A discovery lie bends the document under it; a new instance reads it first under it.
    discovery: DiscoveryGuard
    _other_project_holders: dict[TokenFormat, ServiceUser]

    def fresh_token(self, variant: Variant) -> IssuedToken:
        """A new token of the role holder (a new PAT for PAT cells)."""
        if variant.cell.grant is Grant.PAT:
            return self._new_pat(expires_at=None)
        return self.broker.fresh(variant.cell.grant, Holder.ROLE, variant.token_format)

    @contextmanager
    def fault(self, fault: IssuerFault, token: str | None = None) -> Iterator[None]:
        """The issuer's introspection endpoint misbehaves inside the block (about ``token``)."""
        with ExitStack() as stack:
            for options in fault_options(fault, self.world, self.slow_fault_s):
                fault_on = self.issuer_server.fault(endpoint="introspect", token=token, **options)
                stack.enter_context(fault_on)
            yield

    @contextmanager
    def lie(self, lie: LieKind, token: str | None = None) -> Iterator[None]:
        """The issuer answers with ``lie`` inside the block (about ``token`` only, if given)."""
        with self.issuer_server.lie(lie, token):
            yield

    @contextmanager
    def role_shape(self, shape: RoleShape) -> Iterator[None]:
        """New tokens and introspection answers carry the roles in ``shape`` in the block."""
        with self.issuer_server.role_shape(shape):
            yield

    def other_project_role_token(self, token_format: TokenFormat) -> str:
        """A token of a user holding the role in the other project only, asking for both
        projects' audiences (ZITADEL lets it: the audience is no grant)."""
        with self._users_lock:
            user = self._other_project_holder(token_format)
        base = load_client_credentials_settings(self.env)
        settings = dataclasses.replace(
            base,
            credentials=ClientSecret(user.username, user.client_secret or ""),
            scopes=(*base.scopes, audience_scope(self.world.other_project.id)),
        )
        return self.broker.obtain(Grant.CLIENT_CREDENTIALS, settings).access_token

    def _other_project_holder(self, token_format: TokenFormat) -> ServiceUser:
        user = self._other_project_holders.get(token_format)
        if user is None:
            kind: AccessTokenType = "jwt" if token_format is TokenFormat.JWT else "bearer"
            user = self.issuer_server.add_service_user(
                f"other-project-holder-{kind}", roles=(ROLE,),
                project_id=self.world.other_project.id, access_token_type=kind, with_secret=True,
            )  # fmt: skip
            register_user(self.redactor, user)
            self._other_project_holders[token_format] = user
        return user

    def lie_told(self, lie: LieKind, token: str | None = None) -> int:
        """How often the issuer has told ``lie`` (about ``token``)."""
        return self.issuer_server.lies.told(lie, token)

    @contextmanager
    def discovery_api(self, auth: Mechanism, renew: bool) -> Iterator[tuple[str, bool]]:
        """A newly started sample API (nothing cached, discovery unread), for the block; one
        for every lie (an in-process API starts in a moment), ``renew`` or not."""
        with self.apis.fresh(auth) as url:  # the lie holds the guard
            yield url, True

    @contextmanager
    def odd_secret_api(self, auth: Mechanism) -> Iterator[str]:
        """A newly started basic-auth API authenticating as the app with the odd secret."""
        app = self.odd_secret_app
        credentials = ClientSecret(app.client_id, app.client_secret or "")
        with self.discovery.reading(), self.apis.fresh(auth, credentials) as url:
            yield url

    def propagation_subject(self, token_format: TokenFormat) -> Changeable:
        """A new role-holding user (secret; opaque or JWT tokens) and a fresh token of theirs."""
        with self._users_lock:
            self._propagation_users += 1
            number = self._propagation_users
        kind: AccessTokenType = "jwt" if token_format is TokenFormat.JWT else "bearer"
        user = self.issuer_server.add_service_user(
            f"propagation-user-{number}", roles=(ROLE,),
            project_id=self.world.project.id, access_token_type=kind, with_secret=True,
        )  # fmt: skip
        register_user(self.redactor, user)
        secret = ClientSecret(user.username, user.client_secret or "")
        settings = dataclasses.replace(
            load_client_credentials_settings(self.env), credentials=secret
        )
        token = self.broker.obtain(Grant.CLIENT_CREDENTIALS, settings).access_token
        return Changeable(token, user.user_id, self.world.project.id, self.issuer_server)

    @contextmanager
    def cached_api(self, auth: Mechanism, ttl: float) -> Iterator[str]:
        """A newly started sample API caching introspection answers for ``ttl`` seconds."""
        with self.discovery.reading(), self.apis.fresh(auth, cache_ttl=ttl) as url:
            yield url

    def introspection_mark(self) -> int:
        """How many introspection requests the issuer has recorded so far."""
        return len(self.issuer_server.introspections)

    def introspections_since(self, mark: int, token: str | None = None) -> list[IntrospectionFacts]:
        """The introspection requests recorded from ``mark`` on (about ``token``, if given)."""
        found = self.issuer_server.introspections.since(mark)
        if token is None:
            return found
        digest = token_digest(token)
        return [record for record in found if record.token_digest == digest]

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
