"""Serving the sample APIs (and their issuer-down twins) as real servers on free ports.

Each API is an RFC 6750 resource server: ``api_jwt`` introspects per RFC 7662 §2.1 with
private_key_jwt (RFC 7523 §2.2), ``api_basic_auth`` with client_secret_basic (RFC 6749
§2.3.1), ``api_local_jwt`` validates JWT access tokens itself (RFC 9068 §4). All are built from
the same `EnvSource` a user's ``.env`` gives, so the mock and a live instance are configured
alike. Factories are injectable, so a test can serve a broken API.
"""

from __future__ import annotations

import dataclasses
import importlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.types import ASGIApp

from harness.logcapture import label_requests
from harness.model.matrix import Mechanism
from harness.model.skips import config_problem
from harness.model.waits import StatedWaits
from harness.subjects.instances import closed_port_url
from harness.targets.api_client import ApiClient
from mock_issuer import BackgroundServer
from oauthkit import (
    ApiSettings,
    ApplicationKey,
    ConfigError,
    EnvSource,
    load_basic_api_settings,
    load_jwt_api_settings,
    load_local_jwt_api_settings,
)

ApiFactory = Callable[[ApiSettings[Any]], ASGIApp]
ApiFactories = Mapping[Mechanism, ApiFactory]
# A new transport for a sample API's calls to its issuer (the harness records them).
IssuerTransport = Callable[[], httpx.AsyncBaseTransport]
_LOADERS: dict[Mechanism, Callable[[EnvSource], ApiSettings[Any]]] = {
    Mechanism.PRIVATE_KEY_JWT: load_jwt_api_settings,
    Mechanism.CLIENT_SECRET_BASIC: load_basic_api_settings,
    Mechanism.LOCAL_JWT: load_local_jwt_api_settings,
}


def sample_factory(auth: Mechanism) -> ApiFactory:
    """The sample's own ``create_app`` (``api_jwt.app`` or ``api_basic_auth.app``)."""
    module = importlib.import_module(f"{auth.sample}.app")
    factory: ApiFactory = module.create_app
    return factory


def weakening(settings: ApiSettings[Any]) -> tuple[str, ...]:
    """Settings that make an API weaker than the samples' defaults, as warnings."""
    found = []
    if settings.introspection_cache_ttl > 0:
        found.append(
            f"INTROSPECTION_CACHE_TTL is {settings.introspection_cache_ttl:g} s: a token revoked "
            "after its first use stays accepted that long (RFC 7662 §4); the revocation check "
            "uses a token the API has not seen, so it does not show this"
        )
    if not settings.assertion.jti and isinstance(settings.credentials, ApplicationKey):
        found.append(
            "CLIENT_ASSERTION_JTI is off: the API's client assertions carry no jti, so a "
            "captured one can be replayed until it expires (RFC 7523 §3)"
        )
    return tuple(found)


def api_client(timeout_s: float) -> ApiClient:
    """The harness's client for the APIs (``api_client.py``: raw, bounded, no keep-alive)."""
    return ApiClient(timeout_s)


@dataclass
class ApiServers:
    """Both APIs, each also as a twin whose issuer is a closed port; started on demand."""

    env: EnvSource
    factories: ApiFactories = field(default_factory=dict)
    servers: dict[tuple[Mechanism, bool], BackgroundServer] = field(default_factory=dict)
    problems: dict[Mechanism, ConfigError] = field(default_factory=dict)
    settings: dict[Mechanism, ApiSettings[Any]] = field(default_factory=dict)
    issuer_transport: IssuerTransport | None = None
    # Checks run side by side: one of them starts an API on its first use, the others wait.
    _starting: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def start(self) -> ApiServers:
        """Load each API's settings (an API lacking settings is skipped); serve on first use.

        Lazily, so a run whose API is a subject loads the apps' settings (for the harness's
        own issuer calls) without serving the samples.
        """
        for auth, load in _LOADERS.items():
            try:
                self.settings[auth] = load(self.env)
            except ConfigError as exc:
                self.problems[auth] = exc
        return self

    def url(self, auth: Mechanism, *, down: bool = False) -> str:
        """Base URL of an API (``down``: of its twin pointed at a closed port)."""
        if auth in self.problems:
            raise config_problem(self.problems[auth])
        with self._starting:
            if (auth, down) not in self.servers:
                self._serve(auth, down)
            return self.servers[(auth, down)].url

    @contextmanager
    def fresh(
        self, auth: Mechanism, credentials: object = None, cache_ttl: float | None = None
    ) -> Iterator[str]:
        """A newly started instance of an API (nothing cached yet), stopped after the block.

        ``credentials`` replaces the API app's own (e.g. an app with an odd secret);
        ``cache_ttl`` its introspection cache's TTL.
        """
        if auth in self.problems:
            raise config_problem(self.problems[auth])
        settings = self.settings[auth]
        if credentials is not None:
            settings = dataclasses.replace(settings, credentials=credentials)
        if cache_ttl is not None:
            settings = dataclasses.replace(settings, introspection_cache_ttl=cache_ttl)
        app = label_requests(self._app(auth, settings), self.label(auth))
        server = BackgroundServer(app).start()
        try:
            yield server.url
        finally:
            server.stop()

    def warnings(self) -> tuple[str, ...]:
        """What the APIs' settings turn off or weaken (e.g. the audience check), per API."""
        return tuple(
            f"{auth.sample}: {warning}"
            for auth, settings in self.settings.items()
            for warning in (*settings.warnings, *weakening(settings))
        )

    def waits(self, auth: Mechanism) -> StatedWaits:
        """What the API's settings make it wait: its cache TTL or its JWKS refresh cooldown."""
        settings = self.settings.get(auth)
        if settings is None:
            return StatedWaits()
        cooldown = getattr(settings.credentials, "jwks_refresh_cooldown", None)
        return StatedWaits(settings.introspection_cache_ttl, cooldown)

    def label(self, auth: Mechanism) -> str:
        """The log origin label of an API's requests."""
        return f"api:{auth.sample}"

    def stop(self) -> None:
        """Stop every server started."""
        for server in self.servers.values():
            server.stop()
        self.servers.clear()

    def _serve(self, auth: Mechanism, down: bool) -> None:
        settings = self.settings[auth]
        if down:
            settings = dataclasses.replace(settings, issuer=closed_port_url())
        app = label_requests(self._app(auth, settings), self.label(auth))
        self.servers[(auth, down)] = BackgroundServer(app).start()

    def _app(self, auth: Mechanism, settings: ApiSettings[Any]) -> ASGIApp:
        custom = self.factories.get(auth)
        if custom is not None:
            return custom(settings)
        module = importlib.import_module(f"{auth.sample}.app")
        transport = self.issuer_transport() if self.issuer_transport else None
        app: ASGIApp = module.create_app(settings, transport=transport)
        return app
