"""The matrix itself: every check in every variant of every cell, one test each.

Parametrised by the harness plugin (``--issuer``, ``--env-file``, ``--cells``, ``--checks``,
``--subject``, ``--subject-dir``);
a not-applicable or not-configured check is skipped with its reason, a failed MUST check fails.
"""

from __future__ import annotations

import pytest

from harness.pytest_plugin import case_ahead, case_target, run_case
from harness.run.cases import MatrixCase


def test_the_api_answers_as_the_check_requires(
    matrix_case: MatrixCase, request: pytest.FixtureRequest
) -> None:
    target = case_target(request, matrix_case)
    run_case(request.node, target, matrix_case, case_ahead(request, matrix_case))
