"""The mock issuer and both sample APIs as real servers on free loopback ports.

One set per module (per xdist worker); the clients run as `python -m ...` subprocesses with the
`.env` the mock writes, exactly as a user runs them by hand.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from mock_issuer import MockIssuer, Provisioned
from mock_issuer.server import BackgroundServer
from oauthkit import VARIABLES, EnvSource

REPO = Path(__file__).resolve().parents[3]
APPS = ("api_jwt", "api_basic_auth")


@dataclass
class Stack:
    """The running issuer, what it provisioned, its `.env`, and the APIs' base URLs."""

    issuer: MockIssuer
    world: Provisioned
    env_file: Path
    apis: dict[str, str]


def start_api(
    name: str, env_file: Path, environ: Mapping[str, str] | None = None
) -> BackgroundServer:
    """The named sample API as a server (not yet started; use it in `with`), configured from
    `env_file` and `environ` over it."""
    sample = importlib.import_module(f"{name}.app")
    settings = sample.load_settings(EnvSource.load(env_file, environ or {}, required=True))
    return BackgroundServer(sample.create_app(settings))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with MockIssuer() as issuer, ExitStack() as servers:
        world = issuer.provision()
        env_file = world.write_env(tmp_path_factory.mktemp("mock-env"))
        apis = {name: servers.enter_context(start_api(name, env_file)).url for name in APPS}
        yield Stack(issuer, world, env_file, apis)


def clean_environ(**overrides: str) -> dict[str, str]:
    """The process environment without any settings variable, plus `overrides`."""
    # A developer may have exported settings; the subprocesses must see only the test's .env.
    environ = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    return environ | overrides


def run_module(module: str, *args: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    """`python -m module args...` from the repository root; its exit code, stdout, stderr."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env=clean_environ(**overrides),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
