"""Results that carry a figure rather than a verdict's reason: the propagation times.

RFC 7662 §4: the propagation checks measure how long an API takes to notice a change at the
issuer; their "actual" is that figure. The checks live in ``harness/checks/propagation.py``;
the terminal and the report find their results here, by id, without loading any check.
"""

from __future__ import annotations

from harness.model.results import CheckResult, RunResult

FIGURE_PREFIX = "RFC7662-4-propagation-"


def propagation_figures(run: RunResult) -> list[CheckResult]:
    """A run's propagation results that carry a figure, in run order (terminal and report)."""
    return [r for r in run.results if r.check_id.startswith(FIGURE_PREFIX) and r.actual]
