"""A lying issuer (well-formed HTTP, wrong answers): both APIs refuse each lie as it deserves.

The owed status of each lie is the refusal the mock's `LieKind` carries: 401 where the token
is at fault, 403 where it holds no such role, 503 where the issuer's answer cannot be trusted;
each refusal is logged in one line naming the rule. Never a 200, never a 500.
"""

from __future__ import annotations

import logging

import pytest

from mock_issuer import LieKind

from .conftest import World, open_api

pytestmark = pytest.mark.anyio
FAST = {"INTROSPECTION_TIMEOUT": "0.5"}


@pytest.mark.parametrize("lie", LieKind, ids=[lie.refusal.slug for lie in LieKind])
async def test_each_lie_is_refused_with_the_owed_status_and_a_log_line_naming_why(
    api_name: str, world: World, lie: LieKind, caplog: pytest.LogCaptureFixture
) -> None:
    token = world.tokens["cc"]
    owed = lie.refusal
    with caplog.at_level(logging.INFO, logger="oauthkit.api"):
        async with open_api(api_name, world, FAST) as api:
            with world.issuer.lie(lie):
                path = "/api/private-scoped" if owed.needs_role else "/api/private"
                response = await api.client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == owed.status, response.text
    if lie is LieKind.TOO_MANY_REQUESTS:  # the issuer's wait, passed on
        assert response.headers["retry-after"] == "30"
    denied = [r.getMessage() for r in caplog.records if "denied" in r.getMessage()]
    # The status as the line states it ("denied GET /path with 401 ..."), not any digits in
    # it: an expiry time such as 1796285030 holds "503" too.
    assert len(denied) == 1 and f" with {owed.status} " in denied[0], denied
