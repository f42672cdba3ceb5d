"""Fixtures for in-process mock issuer tests: a shared read-only world and fresh ones."""

from __future__ import annotations

import pytest

from mock_issuer import MockIssuer, SettableClock

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
    """A provisioned issuer of its own, for tests that move time, roles or faults."""
    issuer = MockIssuer(issuer="http://issuer.test", clock=SettableClock(start=NOW))
    issuer.provision()
    return issuer
