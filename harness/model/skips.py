"""Why a check did not run: it does not apply here, or the target lacks a setting.

Raised by targets and checks, turned into a `not_applicable` or `not_configured` result by the
runner, so a missing ``.env`` value is reported with its variable name instead of failing
obscurely (the variables are those of ``.env.example``; RFC 2119 §1 levels are unaffected).
"""

from __future__ import annotations

from oauthkit import ConfigError


class CheckSkipped(Exception):
    """Base: the check has no verdict, for the reason given."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class NotApplicable(CheckSkipped):
    """The check does not apply to this cell, variant or target."""


class NotConfigured(CheckSkipped):
    """The target lacks a setting the check needs; ``variable`` names it."""

    def __init__(self, variable: str, why: str = "") -> None:
        self.variable = variable
        super().__init__(why or f"{variable} is not set")


def config_problem(error: ConfigError) -> NotConfigured:
    """A ConfigError as NotConfigured, naming the variable its message starts with."""
    variable = str(error).split(" ", 1)[0].rstrip(":") or "configuration"
    return NotConfigured(variable, str(error))
