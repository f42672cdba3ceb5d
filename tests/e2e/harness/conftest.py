"""A mock target shared by this folder's tests (one per xdist worker)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.targets.mock import MockTarget


@pytest.fixture(scope="package")
def mock_target() -> Iterator[MockTarget]:
    """The mock issuer and both correct sample APIs, started once."""
    target = MockTarget()
    try:
        yield target
    finally:
        target.close()
