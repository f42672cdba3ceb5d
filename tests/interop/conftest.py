"""The `oidc_provider` fixture: oidc-provider (Node.js) as an issuer nobody here wrote (issue #5).

Starts `tests/interop/provider.mjs` on a free loopback port, once per session (the modules
that use it are one xdist group, `oidc-provider`, so one worker starts it), waits for
its one ready line of JSON and hands the tests the issuer URL and the `.env` it wrote (the
variables the harness's live mode reads, RFC 7662 introspection clients included). Without
Node.js or `npm ci --prefix tests/interop` the tests are skipped, except under `CI=true`,
where they fail so CI cannot go green silently.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .provider_process import OidcProvider, check_installed, running_provider
from .raw_client import RawClient


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    """oidc-provider on a free loopback port with clients, users, keys and a PAT provisioned."""
    node = check_installed()
    with running_provider(node, tmp_path_factory.mktemp("oidc-provider")) as provider:
        yield provider


@pytest.fixture
def raw(oidc_provider: OidcProvider) -> Iterator[RawClient]:
    """Hand-built HTTP calls to the fixture through one short-lived `httpx.Client`."""
    with httpx.Client(timeout=10.0) as http:
        yield RawClient(oidc_provider, http)
