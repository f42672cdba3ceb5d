"""Plugins for the whole test suite: the harness's (matrix options, target, report) and pytester."""

pytest_plugins = ["harness.pytest_plugin", "pytester"]
