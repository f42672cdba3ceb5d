"""One mock ZITADEL instance: issuer URL, clock, store, faults and signing keys (RFC 8414 §2).

Endpoints and admin functions all work on an :class:`Instance`; the facade
:class:`mock_issuer.issuer.MockIssuer` owns one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mock_issuer.clock import SettableClock
from mock_issuer.faults import Faults
from mock_issuer.keyring import KeyRing
from mock_issuer.keys import KeyPool, SigningKey
from mock_issuer.lies import Lies
from mock_issuer.model import Org, Project
from mock_issuer.records import IntrospectionLog
from mock_issuer.role_shapes import RoleShape
from mock_issuer.store import Store

DEFAULT_ACCESS_TOKEN_LIFETIME = 12 * 3600.0


@dataclass
class Instance:
    """The state every endpoint reads; ``issuer`` may change once the server has a port."""

    issuer: str
    clock: SettableClock = field(default_factory=SettableClock)
    faults: Faults = field(default_factory=Faults)
    lies: Lies = field(default_factory=Lies)
    introspections: IntrospectionLog = field(default_factory=IntrospectionLog)
    store: Store = field(default_factory=Store)
    access_token_lifetime: float = DEFAULT_ACCESS_TOKEN_LIFETIME
    # The JWT access tokens' header typ: ZITADEL's "JWT"; "at+jwt" as RFC 9068 §2.1 asks.
    access_token_typ: str = "JWT"
    # Roles in another shape, in new JWT access tokens and introspection answers (None: usual).
    role_shape: RoleShape | None = None
    # Where its RSA keys come from (every one fresh, unless the pool is shared: keys.KeyPool).
    key_pool: KeyPool = field(default_factory=KeyPool, repr=False)
    introspection_calls: int = field(default=0, init=False)
    jwks_calls: int = field(default=0, init=False)
    org: Org = field(init=False)
    zitadel_project_id: str = field(init=False)
    keys: KeyRing = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.issuer = self.issuer.rstrip("/")
        org_id = self.store.new_id()
        self.org = Org(id=org_id, name="mock-org", primary_domain="mock-org.localhost")
        self.store.add_org(self.org)
        # The instance's own project, what the scope alias ``...:project:id:zitadel:aud`` means.
        self.zitadel_project_id = self.store.new_id()
        self.store.add_project(Project(id=self.zitadel_project_id, name="ZITADEL", roles=()))
        self.keys = KeyRing(self.store.new_id, self.now, self.key_pool)

    def signing_key(self) -> SigningKey:
        """The key that signs JWT access tokens and ID tokens now (see :class:`KeyRing`)."""
        return self.keys.signing_key()

    def now(self) -> float:
        """The instance clock's time."""
        return self.clock.now()
