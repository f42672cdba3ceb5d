"""The live target: the user's issuer, described by a ``.env``, and both APIs pointed at it.

Endpoints come from discovery (OpenID Connect Discovery 1.0 §4 / RFC 8414 §3), so any
standards-conformant issuer works, not only ZITADEL. The variables are those of ZITADEL's
examples plus the harness's own (see ``.env.example`` and ``docs/harness.md``). Whatever is
missing makes the checks that need it "not configured", naming the variable. The harness's
own issuer calls (``issuer_calls.py``) revoke tokens it obtained (RFC 7009, confirmed by RFC
7662 introspection) and record the issuer's behaviour; the configured PAT is never revoked.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from contextlib import AbstractContextManager
from pathlib import Path

from harness.logcapture import LogCapture
from harness.model.matrix import Grant, Mechanism, Mode, TokenFormat, Variant
from harness.model.routes import Routes
from harness.model.skips import NotApplicable, NotConfigured
from harness.model.waits import StatedWaits
from harness.redaction import Redactor
from harness.targets.apis import ApiFactories, ApiServers, api_client
from harness.targets.base import Holder, IssuedToken
from harness.targets.issuer_calls import IssuerCalls
from harness.targets.issuer_tap import RecordingTransport
from harness.targets.live_recipes import live_recipes
from harness.targets.live_revocation import revoke_and_confirm
from harness.targets.recording import IssuerTraffic
from harness.targets.tokens import TokenBroker, role_recipes
from oauthkit import ConfigError, EnvSource

API_TIMEOUT_S = 30.0
SECRET_VARIABLES = ("API_CLIENT_SECRET", "CLIENT_SECRET", "PERSONAL_ACCESS_TOKEN")
KEY_FILE_VARIABLES = ("API_PRIVATE_KEY_FILE", "CLIENT_PRIVATE_KEY_FILE_PATH")
ROLE_VARIABLES = {
    Grant.JWT_PROFILE: "EXPECTED_ROLES_JWT_PROFILE",
    Grant.CLIENT_CREDENTIALS: "EXPECTED_ROLES_CLIENT_CREDENTIALS",
    Grant.PAT: "EXPECTED_ROLES_PAT",
}


class LiveTarget:
    """The APIs served locally, introspecting at the issuer named by ZITADEL_DOMAIN."""

    mode = Mode.LIVE
    mock = None
    routes = Routes()

    def __init__(
        self,
        env_file: Path,
        factories: ApiFactories | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.env = EnvSource.load(
            env_file, os.environ if environ is None else environ, required=True
        )
        self.redactor = Redactor()
        self._register_secrets()
        self.logs = LogCapture().install()
        self.issuer_traffic = IssuerTraffic()
        self.http = api_client(API_TIMEOUT_S)
        self.live_format = self._token_format()
        self.broker = TokenBroker(self.redactor, live_recipes(self.env))
        self.apis = ApiServers(
            self.env, factories or {}, issuer_transport=self._issuer_transport
        ).start()
        self.issuer_calls = IssuerCalls(
            self.issuer, self.redactor, self.apis.settings, role_recipes(self.broker)
        )
        self.notes = self._notes()

    @property
    def issuer(self) -> str:
        """ZITADEL_DOMAIN, or a placeholder saying it is missing."""
        return (self.env.get("ZITADEL_DOMAIN") or "(ZITADEL_DOMAIN is not set)").rstrip("/")

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the APIs' settings turn off (none, unless the ``.env`` says so)."""
        return self.apis.warnings()

    def _issuer_transport(self) -> RecordingTransport:
        """A transport that records an API's calls to the issuer into ``logs``."""
        return RecordingTransport(self.redactor, self.issuer_traffic.add)

    def api_url(self, auth: Mechanism) -> str:
        """Base URL of the sample API that introspects with ``auth``."""
        return self.apis.url(auth)

    def issuer_down_api_url(self, auth: Mechanism) -> str:
        """Base URL of the twin API whose issuer is a closed port."""
        return self.apis.url(auth, down=True)

    def waits(self, auth: Mechanism) -> StatedWaits:
        """What the sample's settings (the .env) make it wait."""
        return self.apis.waits(auth)

    def foreign_origins(self, auth: Mechanism) -> frozenset[str]:
        """The other API's label."""
        return frozenset(self.apis.label(a) for a in Mechanism if a is not auth)

    def token(self, variant: Variant, holder: Holder = Holder.ROLE) -> IssuedToken:
        """A cached token of ``holder`` for the variant's grant."""
        return self.broker.token(variant.cell.grant, holder, variant.token_format)

    def fresh_token(self, variant: Variant) -> IssuedToken:
        """A new token (for a PAT: the configured one again)."""
        return self.broker.fresh(variant.cell.grant, Holder.ROLE, variant.token_format)

    def revoked_token(self, variant: Variant) -> IssuedToken:
        """A new token revoked at the issuer as the cell's API app, and confirmed inactive."""
        if variant.cell.grant is Grant.PAT:
            raise NotApplicable(
                "revoking would end the configured PERSONAL_ACCESS_TOKEN for good; the harness "
                "revokes only tokens it obtained itself"
            )
        return revoke_and_confirm(
            self.issuer_calls, self.fresh_token(variant), variant.cell.mechanism
        )

    def expected_roles(self, grant: Grant) -> frozenset[str]:
        """The roles EXPECTED_ROLES_<GRANT> says the grant's service user holds."""
        name = ROLE_VARIABLES[grant]
        raw = self.env.get(name)
        if raw is None:
            raise NotConfigured(
                name,
                f"{name} is not set: list the roles that service user holds (or leave it "
                "empty for none), e.g. read:messages",
            )
        return frozenset(r.strip() for r in raw.split(",") if r.strip())

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

    def discovery_api(
        self, auth: Mechanism, renew: bool
    ) -> AbstractContextManager[tuple[str, bool]]:
        """Not here: a live issuer's lies cannot be told (the lying-issuer checks are mock-only)."""
        raise NotApplicable("this target cannot start the API afresh")

    def odd_secret_api(self, auth: Mechanism) -> AbstractContextManager[str]:
        """Not here: the live issuer has no API app with an odd secret."""
        raise NotApplicable("this target cannot start the API with an odd-secret app")

    def cached_api(self, auth: Mechanism, ttl: float) -> AbstractContextManager[str]:
        """Not here: propagation is measured at the mock issuer."""
        raise NotApplicable("this target cannot start the API with a cache")

    def close(self) -> None:
        """Stop the APIs, close the clients, detach the log capture."""
        self.apis.stop()
        self.broker.transport.shut()
        self.http.close()
        self.logs.uninstall()

    def _token_format(self) -> TokenFormat:
        return _format_of(self.env)

    def _register_secrets(self) -> None:
        for name in SECRET_VARIABLES:
            self.redactor.add(self.env.get(name))
        for user, secret in (
            ("API_CLIENT_ID", "API_CLIENT_SECRET"),
            ("CLIENT_ID", "CLIENT_SECRET"),
        ):
            if self.env.get(user) and self.env.get(secret):
                self.redactor.add_basic(self.env.get(user) or "", self.env.get(secret) or "")
        for name in KEY_FILE_VARIABLES:
            self.redactor.add(_key_pem(self.env, name))

    def _notes(self) -> tuple[str, ...]:
        notes = [f"{a.sample} is not configured: {p}" for a, p in self.apis.problems.items()]
        notes += [f"{v} is not set" for v in ROLE_VARIABLES.values() if self.env.get(v) is None]
        return tuple(notes)


def _key_pem(env: EnvSource, name: str) -> str | None:
    """The PEM inside a key file, to register as a secret (None when unreadable)."""
    try:
        data = json.loads(env.path(name, "./key-file.json").read_text(encoding="utf-8"))
    except (ConfigError, OSError, ValueError):
        return None
    key = data.get("key") if isinstance(data, dict) else None
    return key if isinstance(key, str) else None


def _format_of(env: EnvSource) -> TokenFormat:
    try:
        jwt = env.flag("INTROSPECT_JWT_ACCESS_TOKENS", False)
    except ConfigError:
        jwt = False
    return TokenFormat.JWT if jwt else TokenFormat.OPAQUE


def declared_format(env_file: Path, environ: Mapping[str, str] | None = None) -> TokenFormat:
    """The format INTROSPECT_JWT_ACCESS_TOKENS declares (opaque when the file is missing)."""
    environ = os.environ if environ is None else environ
    return _format_of(EnvSource.load(env_file, environ, required=False))
