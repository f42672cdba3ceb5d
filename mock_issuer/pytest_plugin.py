"""pytest fixtures: a started, provisioned mock issuer for your own test suite.

Installed with the package, pytest loads this module through its ``pytest11`` entry point
(``mock_issuer.pytest_plugin``); from a checkout, add
``pytest_plugins = ["mock_issuer.pytest_plugin"]`` to a ``conftest.py``. Fixtures:

* ``mock_issuer``: a :class:`~mock_issuer.MockIssuer` of the test's own, serving on a free
  loopback port and provisioned (``mock_issuer.world``: project, API apps, service users with
  their keys, secrets and PATs); its URLs (``issuer``, ``token_endpoint``, ...), clock and fault
  switches (``with mock_issuer.fault(FaultKind.SERVER_ERROR): ...``). Stopped after the test.
* ``mock_issuer_session``: one such issuer for the whole session (for each xdist worker). Make
  it the default for a folder by overriding ``mock_issuer`` in its ``conftest.py``::

      @pytest.fixture
      def mock_issuer(mock_issuer_session):
          yield mock_issuer_session
          mock_issuer_session.faults.clear()

* ``async_mock_issuer``: ``mock_issuer`` for ``async def`` tests (anyio's pytest plugin,
  ``@pytest.mark.anyio``, or pytest-asyncio in auto mode): start-up (key generation) and
  shutdown run in a worker thread, so they never block the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import anyio.to_thread
import pytest

from mock_issuer.issuer import MockIssuer


@contextmanager
def running_mock_issuer() -> Iterator[MockIssuer]:
    """A mock issuer serving on a free loopback port and provisioned; stopped on exit."""
    issuer = started_mock_issuer()
    try:
        yield issuer
    finally:
        issuer.stop()


def started_mock_issuer() -> MockIssuer:
    """Start a mock issuer on a free loopback port and provision it (``issuer.world``)."""
    issuer = MockIssuer().start()
    try:
        issuer.provision()
    except BaseException:
        issuer.stop()
        raise
    return issuer


@pytest.fixture
def mock_issuer() -> Iterator[MockIssuer]:
    """This test's own mock issuer: started on a free port, provisioned, stopped afterwards."""
    with running_mock_issuer() as issuer:
        yield issuer


@pytest.fixture(scope="session")
def mock_issuer_session() -> Iterator[MockIssuer]:
    """One mock issuer for the session (each xdist worker gets its own)."""
    with running_mock_issuer() as issuer:
        yield issuer


@pytest.fixture
async def async_mock_issuer() -> AsyncIterator[MockIssuer]:
    """``mock_issuer`` for async tests: started and stopped off the event loop."""
    issuer = await anyio.to_thread.run_sync(started_mock_issuer)
    try:
        yield issuer
    finally:
        await anyio.to_thread.run_sync(issuer.stop)
