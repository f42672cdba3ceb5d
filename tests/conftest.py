"""Plugins for the whole test suite: the harness's (matrix options, target, report), the mock
issuer's fixtures and pytester. Named as the installed entry points are, so never loaded twice.

Under ``pytest -n``, the test files of one `SHARED` group run on one xdist worker, so what they
share (a session or module fixture: oidc-provider and the live run against it, the run of every
third-party subject (its report, its pinned verdicts), the harness runs several tests read)
is started once, not once per worker. Every other test is dealt on its own, as ``--dist load``
does. (pytest-xdist's own ``--dist loadgroup`` would do this with ``xdist_group`` marks, but
with pytest 9.2 it silently groups nothing: pytest-xdist issue 1386.)
"""

from __future__ import annotations

from typing import Any

import pytest

pytest_plugins = ["harness.pytest_plugin", "mock_issuer.pytest_plugin", "pytester"]

# Test files whose tests share an expensive fixture, by group; the biggest groups are dealt first.
SHARED = {
    "tests/e2e/harness/test_cli.py": "harness-cli",
    "tests/interop/test_live_matrix.py": "oidc-provider",
    "tests/interop/test_oidc_provider_differences.py": "oidc-provider",
    "tests/interop/test_oidc_provider_fixture.py": "oidc-provider",
    "tests/subjects/test_report_of_every_subject.py": "every-subject",
    "tests/subjects/test_third_party.py": "every-subject",
}


def shared_group(nodeid: str) -> str:
    """The unit a test is dealt in: its file's `SHARED` group, else the test alone."""
    return SHARED.get(nodeid.split("::", 1)[0], nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist load`` (the default of ``-n``) with the `SHARED` groups kept together."""
    if config.getoption("dist") != "load":
        return None  # another --dist asked for explicitly
    from xdist.scheduler import LoadScopeScheduling

    class SharedGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return shared_group(nodeid)

    return SharedGroupScheduling(config, log)
