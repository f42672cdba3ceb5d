"""Plugins for the whole test suite: the harness's (matrix options, target, report), the mock
issuer's fixtures and pytester. Named as the installed entry points are, so never loaded twice."""

pytest_plugins = ["harness.pytest_plugin", "mock_issuer.pytest_plugin", "pytester"]
