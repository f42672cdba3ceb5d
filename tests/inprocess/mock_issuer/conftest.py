"""Fixtures for in-process mock issuer tests: a shared read-only world and fresh ones."""

from __future__ import annotations

import pytest

from mock_issuer import KeyPool, MockIssuer, SettableClock

NOW = 1_800_000_000.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def shared() -> MockIssuer:
    """A provisioned issuer with a frozen clock; tests must not change its state."""
    issuer = MockIssuer(issuer="http://issuer.test", clock=SettableClock(start=NOW))
    issuer.provision()
    return issuer


@pytest.fixture
def fresh() -> MockIssuer:
    """A provisioned issuer of its own, for tests that move time, roles or faults; its keys
    are the process's shared ones (``KeyPool``), distinct within it: a test meets one issuer,
    and making its keys anew was most of the setup (0.1-0.5 s a test)."""
    issuer = MockIssuer(
        issuer="http://issuer.test", clock=SettableClock(start=NOW), key_pool=KeyPool(shared=True)
    )
    issuer.provision()
    return issuer
