"""What a check may ask of a target: API URLs, tokens, secrets, logs and (mock) controls.

A target is an issuer plus the two sample APIs pointed at it: the resource servers of RFC 6750
that introspect per RFC 7662 §2. `MockTarget` and `LiveTarget` both satisfy `Target`; only the
mock has `MockControls` (faults, the issuer's clock), so checks that need them are marked
mock-only. Revocation (RFC 7009) works on both: the live target revokes over HTTP.
"""

from __future__ import annotations

import enum
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from harness.logcapture import CapturedRecord, LogMark
from harness.model.matrix import Grant, Mechanism, Mode, TokenFormat, Variant
from harness.model.results import Exchange
from harness.model.routes import Routes
from harness.model.waits import StatedWaits
from harness.redaction import Redactor
from harness.subjects.file import Subject
from harness.targets.api_client import ApiClient
from harness.targets.discovery_guard import DiscoveryGuard
from harness.targets.issuer_calls import IssuerCalls
from harness.targets.mock_keys import SigningKeys
from harness.targets.recording import IssuerTraffic, Recorded
from mock_issuer import IntrospectionRecord, LieKind, RoleShape

IntrospectionFacts = IntrospectionRecord
"""What the mock recorded of one introspection request (facts, never secrets)."""


class Holder(enum.StrEnum):
    """Whose token a check wants, for the variant's grant."""

    ROLE = "role"  # the service user expected to hold the role read:messages
    NO_ROLE = "no_role"  # a token without that role (mock: another user; live: NO_ROLE_SCOPES)
    OTHER_AUDIENCE = "other_audience"  # a token whose audience is another project


class IssuerFault(enum.StrEnum):
    """What the mock issuer can be made to do wrong at its introspection endpoint."""

    SLOW = "slow"
    SERVER_ERROR = "server_error"
    MALFORMED_JSON = "malformed_json"
    DROP_CONNECTION = "drop_connection"
    REJECT_CLIENT = "reject_client"


@dataclass(frozen=True)
class IssuedToken:
    """An access token and how it was obtained (PATs have none): each exchange, or what makes
    it, redacted, when `exchanges` asks (most tokens' are never shown)."""

    access_token: str = field(repr=False)
    token_type: str = "Bearer"
    expires_in: int | None = None
    recorded: tuple[Recorded, ...] = field(default=(), repr=False)

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        """The exchanges that obtained it, redacted by what the run knows now."""
        return tuple(e if isinstance(e, Exchange) else e() for e in self.recorded)


class PropagationSubject(Protocol):
    """A new service user's token, and the changes at the issuer the API should notice."""

    token: str

    def revocation(self) -> None:
        """Revoke the token (RFC 7009)."""

    def role_removal(self) -> None:
        """Take the user's role away."""

    def deactivation(self) -> None:
        """Deactivate the user."""


class MockControls(Protocol):
    """Powers only the mock target has; every change is undone when its context exits."""

    keys: SigningKeys  # its signing keys, JWKS endpoint and clock (local-JWT checks)
    # A discovery lie bends the document under it (alone); an instance reading it for the first
    # time reads under it (beside other readers): ``discovery_guard.py``.
    discovery: DiscoveryGuard

    def fault(self, fault: IssuerFault, token: str | None = None) -> AbstractContextManager[None]:
        """Make the issuer's introspection endpoint misbehave inside the ``with`` block (with
        ``token``: for requests about it only, so checks beside it are not disturbed)."""

    def lie(self, lie: LieKind, token: str | None = None) -> AbstractContextManager[None]:
        """Make the issuer answer with ``lie`` inside the ``with`` block (``token``: as fault)."""

    def role_shape(self, shape: RoleShape) -> AbstractContextManager[None]:
        """New tokens and introspection answers carry the roles in ``shape`` inside the block."""

    def other_project_role_token(self, token_format: TokenFormat) -> str:
        """A token of a user holding the role only in the other project, both in its ``aud``."""

    def lie_told(self, lie: LieKind, token: str | None = None) -> int:
        """How often the issuer has told ``lie`` (about ``token``; 0: nobody asked for it)."""

    def introspections_since(self, mark: int, token: str | None = None) -> list[IntrospectionFacts]:
        """The issuer's record of introspection requests from ``mark`` on (about ``token``)."""

    def propagation_subject(self, token_format: TokenFormat) -> PropagationSubject:
        """A new role-holding user with a token of ``token_format``, ready to be changed."""

    def introspection_mark(self) -> int:
        """A mark for `introspections_since`: the number of requests recorded so far."""

    def expired_token(self, variant: Variant) -> AbstractContextManager[str]:
        """A token for the variant that the issuer considers expired inside the block."""

    def revoke(self, token: str) -> None:
        """Revoke a token at the issuer."""


class LogSource(Protocol):
    """Where the API's log records come from (in-process capture, or a subject's output)."""

    def records(self, exclude_origins: frozenset[str] = ...) -> list[CapturedRecord]:
        """Every record so far, leaving out those from ``exclude_origins``."""

    def mark(self) -> LogMark:
        """Where the records stand now (cheap: taken before every check)."""

    def since(self, mark: LogMark, exclude_origins: frozenset[str] = ...) -> list[CapturedRecord]:
        """The records written after ``mark``, leaving out those from ``exclude_origins``."""


class Target(Protocol):
    """An issuer and the API(s) introspecting at it: the samples, or a subject."""

    redactor: Redactor
    http: ApiClient

    @property
    def logs(self) -> LogSource:
        """The API's log records."""

    @property
    def routes(self) -> Routes:
        """The API's routes (the samples': /api/public, /api/private, /api/private-scoped)."""

    @property
    def mode(self) -> Mode:
        """Mock or live."""

    @property
    def issuer(self) -> str:
        """The issuer URL."""

    @property
    def live_format(self) -> TokenFormat:
        """The access-token format a live issuer issues (mock: unused)."""

    @property
    def mock(self) -> MockControls | None:
        """The mock's controls; None for a live target."""

    @property
    def notes(self) -> tuple[str, ...]:
        """Remarks for the report header (e.g. settings that are missing)."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """Settings that weaken the run (a check turned off), for the terminal and the report."""

    @property
    def issuer_traffic(self) -> IssuerTraffic:
        """The APIs' calls to the issuer, as far as the harness can see them."""

    @property
    def issuer_calls(self) -> IssuerCalls:
        """The harness's own recorded calls to the issuer, as one of the API apps."""

    def api_url(self, auth: Mechanism) -> str:
        """Base URL of the sample API that introspects with ``auth``."""

    def issuer_down_api_url(self, auth: Mechanism) -> str:
        """Base URL of an extra API instance whose issuer is a closed loopback port."""

    def foreign_origins(self, auth: Mechanism) -> frozenset[str]:
        """Origins of log records that are not that API's (the issuer, the other API)."""

    def waits(self, auth: Mechanism) -> StatedWaits:
        """How long that API takes to see a change: its cache TTL, its JWKS cooldown."""

    def token(self, variant: Variant, holder: Holder = Holder.ROLE) -> IssuedToken:
        """A token for the variant's grant (cached); raises NotConfigured/NotApplicable."""

    def fresh_token(self, variant: Variant) -> IssuedToken:
        """A new token, never cached (for checks that spoil it, e.g. by revocation)."""

    def revoked_token(self, variant: Variant) -> IssuedToken:
        """A new token, revoked at the issuer (RFC 7009); raises NotApplicable if it cannot be."""

    def expected_roles(self, grant: Grant) -> frozenset[str]:
        """Roles the ROLE holder of ``grant`` has; raises NotConfigured when not stated."""

    @property
    def subject(self) -> Subject | None:
        """The subject whose API this target checks; None for the samples."""

    def died_during_check(self, dropped: bool) -> str:
        """Why the API's process died during the last check ('' when it did not, or has none);
        ``dropped`` says whether a request of the check lost its connection."""

    def deaths(self) -> int:
        """How often the API's process has died so far (0 for APIs served in this process)."""

    # The API started afresh, each for a ``with`` block; NotApplicable when the target cannot.

    def discovery_api(
        self, auth: Mechanism, renew: bool
    ) -> AbstractContextManager[tuple[str, bool]]:
        """An instance of the API for a discovery lie, one that has not read the true document
        (started inside a lie, perhaps kept from the one before; ``renew``: a new one); yields
        its base URL and whether it is new."""

    def odd_secret_api(self, auth: Mechanism) -> AbstractContextManager[str]:
        """A new instance authenticating as an API app whose secret holds ``:%+ é``."""

    def cached_api(self, auth: Mechanism, ttl: float) -> AbstractContextManager[str]:
        """A new instance caching introspection answers for ``ttl`` seconds."""

    def close(self) -> None:
        """Stop everything the target started."""
