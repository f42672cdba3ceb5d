"""The issuer's behaviour, recorded: one test per observation, which never fails.

Parametrised by the harness plugin; each observation (RFC 6749 §5.2 answers to bad client
credentials, the RFC 7662 §2.2 answer's shape, where roles live, ...) lands in the report's
"Issuer behaviour" section. An observation that cannot be made is skipped with its reason.
"""

from __future__ import annotations

import pytest

from harness.observations import Observation
from harness.pytest_plugin import record_observation
from harness.targets.base import Target


def test_the_issuer_behaviour_is_recorded(
    issuer_observation: Observation, harness_target: Target, request: pytest.FixtureRequest
) -> None:
    record_observation(request.node, harness_target, issuer_observation)
