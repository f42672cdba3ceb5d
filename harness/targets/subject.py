"""A target whose API is a subject: the issuer side of a mock or live target, the API a process.

Tokens, revocation (RFC 7009), the mock's clock and faults, the redactor and the issuer calls
are the base target's; the API URLs, routes and log records are the subject's. The placeholder
values are built here from what the base target knows (discovery, RFC 8414 §3, for the
endpoints; the API app's settings for the credentials).
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from harness.model.matrix import Grant, Mechanism, Mode, TokenFormat, Variant, cells, variants
from harness.model.routes import Routes
from harness.model.skips import CheckSkipped, NotApplicable
from harness.model.waits import StatedWaits
from harness.redaction import Redactor
from harness.subjects.credentials import write_private
from harness.subjects.file import Subject
from harness.subjects.instances import SubjectInstances, stop_together
from harness.subjects.placeholders import wait_values
from harness.subjects.preload import Preloading
from harness.targets.api_client import ApiClient
from harness.targets.apis import api_client
from harness.targets.base import Holder, IssuedToken, MockControls, Target
from harness.targets.extra_instances import ExtraInstances, lets_in
from harness.targets.issuer_calls import IssuerCalls
from harness.targets.recording import IssuerTraffic
from harness.targets.subject_log import SubjectLog
from harness.targets.subject_values import OPT_IN_WARNING, SubjectValues

# The harness waits this much longer for a subject than the subject waits for its issuer.
ANSWER_MARGIN_S = 10.0


class SubjectTarget:
    """The base target's issuer, with the subject as the API of its mechanism."""

    def __init__(
        self, base: Target, subject: Subject, preloading: Preloading | None = None
    ) -> None:
        self.base = base
        self.subject = subject
        self.redactor: Redactor = base.redactor
        self.http: ApiClient = api_client((subject.issuer_timeout or 0) + ANSWER_MARGIN_S)
        self._workdir = tempfile.TemporaryDirectory(prefix="harness-subject-")
        self._values = SubjectValues(base, subject, Path(self._workdir.name))
        self.preloading = preloading or Preloading(subject)
        self.instances = self._instances(self._values.values)
        self.logs = SubjectLog(self.instances)
        # Instances kept for the run (cached, odd secret) and the one lies are told to.
        self.extra = ExtraInstances(
            lambda changes: self._instances_with(subject.mechanism, changes),
            base.mock.discovery if base.mock else None,
            lets_in(self.http, self.routes.private, self._any_token),
        )
        self._env_lock = threading.Lock()

    # -- what the subject changes --------------------------------------------------------

    def start(self) -> None:
        """Start the subject; `SubjectStartError` (with its output) when it does not come up.

        The runner reports that as a part of the run that could not start (the verdict is
        then INCOMPLETE, or the run cannot start at all), not as a failure of every check.
        A setting the placeholders need that is missing is left to the checks, each of which
        then says which one, as not configured.
        """
        with contextlib.suppress(CheckSkipped):
            self.instances.url()

    @property
    def routes(self) -> Routes:
        """The subject's routes."""
        return self.subject.routes

    def api_url(self, auth: Mechanism) -> str:
        """The subject's URL (it is the API of its own mechanism only)."""
        self._only(auth)
        return self.instances.url()

    def issuer_down_api_url(self, auth: Mechanism) -> str:
        """The subject's twin, whose issuer is unreachable."""
        self._only(auth)
        return self.instances.url(down=True)

    def died_during_check(self, dropped: bool) -> str:
        """A note when the subject died during the last check ('' when it runs)."""
        return self.instances.death(dropped)

    def deaths(self) -> int:
        """How often the subject's main instance or its twin died so far."""
        return self.instances.restarts

    def discovery_api(
        self, auth: Mechanism, renew: bool
    ) -> AbstractContextManager[tuple[str, bool]]:
        """The instance discovery lies are told to (``extra_instances.py``)."""
        self._only(auth)
        return self.extra.for_lies(renew)

    @contextmanager
    def odd_secret_api(self, auth: Mechanism) -> Iterator[str]:
        """A new instance authenticating as the mock's app whose secret holds ``:%+ é``."""
        self._only(auth)
        app = getattr(self.base, "odd_secret_app", None)
        if app is None or auth is not Mechanism.CLIENT_SECRET_BASIC:
            raise NotApplicable("no API app with an odd secret on this target")
        values = {"api_client_id": app.client_id, "api_client_secret": app.client_secret}
        with self.extra.kept(values) as url:
            yield url

    @contextmanager
    def cached_api(self, auth: Mechanism, ttl: float) -> Iterator[str]:
        """A new instance caching for ``ttl``: its ``{cache_ttl}`` placeholders set to it where
        the file uses them, else its .env setting INTROSPECTION_CACHE_TTL (our samples read it).
        """
        self._only(auth)
        if self.subject.uses_placeholder("cache_ttl", "cache_ttl_ms"):
            with self.extra.kept(wait_values(ttl, None)) as url:
                yield url
            return
        values = self._values.values(False)
        env_file = Path(values["env_file"]) if values.get("env_file") else None
        if env_file is None:
            raise NotApplicable("the subject reads no .env from the harness")
        cached = env_file.with_name(f".env.cached-{ttl:g}")
        with self._env_lock:
            text = env_file.read_text(encoding="utf-8") + f"INTROSPECTION_CACHE_TTL={ttl:g}\n"
            write_private(cached, text)
        with self.extra.kept({"env_file": str(cached)}) as url:
            yield url

    def _any_token(self) -> str:
        """A valid token of the subject's client-credentials cell (the broker's, cached)."""
        cell = next(c for c in cells() if c.mechanism is self.subject.mechanism
                    and c.grant is Grant.CLIENT_CREDENTIALS)  # fmt: skip
        return self.token(variants(cell, self.mode, self.live_format)[0]).access_token

    def _instances_with(self, auth: Mechanism, changes: Mapping[str, str]) -> SubjectInstances:
        self._only(auth)

        def values(down: bool) -> Mapping[str, str]:
            return {**self._values.values(down), **changes}

        return self._instances(values)

    def _instances(self, values: Callable[[bool], Mapping[str, str]]) -> SubjectInstances:
        launch = self.preloading.launcher()
        return SubjectInstances(self.subject, values, self.redactor.redact, launch)

    def waits(self, auth: Mechanism) -> StatedWaits:
        """What the subject file states (its cache_ttl and jwks_cooldown)."""
        return self.subject.waits

    def foreign_origins(self, auth: Mechanism) -> frozenset[str]:
        """Nothing: the subject's records are its own output only."""
        return frozenset()

    @property
    def notes(self) -> tuple[str, ...]:
        """The base target's notes."""
        return self.base.notes

    def close(self) -> None:
        """Stop the subject, the stand-in issuer, then the base target."""
        try:
            # The keys first (the instances read them at their start): a stopped run's worker
            # that overruns its grace is killed, and must leave no key behind.
            self._workdir.cleanup()
            stop_together((self.instances.stop, self.extra.stop, self._values.stop))
            self.preloading.stop()
            self.http.close()
        finally:
            self.base.close()

    # -- the base target's --------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        """Mock or live."""
        return self.base.mode

    @property
    def issuer(self) -> str:
        """The issuer URL."""
        return self.base.issuer

    @property
    def live_format(self) -> TokenFormat:
        """The format a live issuer issues."""
        return self.base.live_format

    @property
    def mock(self) -> MockControls | None:
        """The mock's controls, if the base is the mock."""
        return self.base.mock

    @property
    def issuer_calls(self) -> IssuerCalls:
        """The harness's own calls to the issuer."""
        return self.base.issuer_calls

    @property
    def warnings(self) -> tuple[str, ...]:
        """The base target's warnings (settings that weaken the run), and the subject's
        opt-in to the service users' secrets."""
        opted = self.subject.service_user_secrets
        mine = (OPT_IN_WARNING.format(name=self.subject.name),) if opted else ()
        return (*self.base.warnings, *mine)

    @property
    def issuer_traffic(self) -> IssuerTraffic:
        """The calls to the issuer the base target sees (the mock sees the subject's)."""
        return self.base.issuer_traffic

    def token(self, variant: Variant, holder: Holder = Holder.ROLE) -> IssuedToken:
        """A cached token."""
        return self.base.token(variant, holder)

    def fresh_token(self, variant: Variant) -> IssuedToken:
        """A new token."""
        return self.base.fresh_token(variant)

    def revoked_token(self, variant: Variant) -> IssuedToken:
        """A new, revoked token."""
        return self.base.revoked_token(variant)

    def expected_roles(self, grant: Grant) -> frozenset[str]:
        """The roles the grant's service user holds."""
        return self.base.expected_roles(grant)

    # -- internals ----------------------------------------------------------------------

    def _only(self, auth: Mechanism) -> None:
        if auth is not self.subject.mechanism:
            raise NotApplicable(f"subject {self.subject.name} checks tokens by "
                                f"{self.subject.mechanism}, not {auth}")  # fmt: skip
