"""RFC 6750 §5.3: tokens and secrets never reach the logs or bodies; fingerprints do."""

from __future__ import annotations

import logging

import pytest

from mock_issuer import FaultKind, MockIssuer
from oauthkit import fingerprint

from .conftest import Api, World

pytestmark = pytest.mark.anyio


def secrets_of(world: World) -> list[str]:
    """Every token and secret the world holds, and the API key's PEM body."""
    provisioned = world.provisioned
    values = [
        *world.tokens.values(),
        provisioned.api_basic_app.client_secret or "",
        provisioned.cc_user.client_secret or "",
        (provisioned.api_jwt_app.key_file or {})["key"].splitlines()[1],
    ]
    return [v for v in values if v]


async def test_no_token_or_secret_appears_in_logs_or_bodies_across_all_answers(
    api: Api, world: World, restore_issuer: MockIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    bodies: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for token in world.tokens.values():
            for route in ("/api/private", "/api/private-scoped"):
                headers = {"Authorization": f"Bearer {token}"}
                bodies.append((await api.client.get(route, headers=headers)).text)
            with restore_issuer.fault(FaultKind.SERVER_ERROR, endpoint="introspect"):
                headers = {"Authorization": f"Bearer {token}"}
                bodies.append((await api.client.get("/api/private", headers=headers)).text)
        denials = [r.getMessage() for r in caplog.records if "denied" in r.getMessage()]
    text = caplog.text + "".join(bodies)
    assert all(secret not in text for secret in secrets_of(world))
    assert fingerprint(world.tokens["norole_cc"]) in "".join(denials)
