"""A lying issuer (well-formed HTTP, wrong answers): both APIs refuse each lie as it deserves.

The owed status of each lie is the harness's table (`harness.checks.lies.CASES`): 401 where
the token is at fault, 503 where the issuer's answer cannot be trusted; each refusal is logged
in one line naming the rule. Never a 200, never a 500.
"""

from __future__ import annotations

import logging

import pytest

from harness.checks.lies import CASES, LieCase
from mock_issuer.lies import LieKind

from .conftest import World, open_api

pytestmark = pytest.mark.anyio
FAST = {"INTROSPECTION_TIMEOUT": "0.5"}


@pytest.mark.parametrize("case", CASES, ids=[c.slug for c in CASES])
async def test_each_lie_is_refused_with_the_owed_status_and_a_log_line_naming_why(
    api_name: str, world: World, case: LieCase, caplog: pytest.LogCaptureFixture
) -> None:
    token = world.tokens["cc"]
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        async with open_api(api_name, world, FAST) as api:
            with world.issuer.lie(LieKind(case.lie.value)):
                path = "/api/private" if case.path == "private" else "/api/private-scoped"
                response = await api.client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == case.status, response.text
    if case.lie is LieKind.TOO_MANY_REQUESTS:  # the issuer's wait, passed on
        assert response.headers["retry-after"] == "30"
    denied = [r.getMessage() for r in caplog.records if "denied" in r.getMessage()]
    assert len(denied) == 1 and ("503" in denied[0]) == (case.status == 503), denied
