"""The `mock_issuer` fixtures as a user's suite gets them from the plugin."""

from __future__ import annotations

import httpx
import pytest

from mock_issuer import FaultKind, MockIssuer

pytestmark = pytest.mark.e2e


def test_the_fixture_is_started_and_provisioned(mock_issuer: MockIssuer) -> None:
    discovery = httpx.get(mock_issuer.discovery_url).json()
    assert discovery["issuer"] == mock_issuer.issuer == mock_issuer.listen_url
    assert mock_issuer.world.issuer == mock_issuer.issuer
    assert mock_issuer.world.cc_user.client_secret


def test_faults_switch_on_for_one_block(mock_issuer: MockIssuer) -> None:
    with mock_issuer.fault(FaultKind.SERVER_ERROR, endpoint="keys", status=502):
        assert httpx.get(mock_issuer.jwks_uri).status_code == 502
    assert httpx.get(mock_issuer.jwks_uri).status_code == 200


USERS_SUITE = """
import httpx
import pytest

SEEN = []


@pytest.fixture
def mock_issuer(mock_issuer_session):
    yield mock_issuer_session
    mock_issuer_session.faults.clear()


def test_first(mock_issuer, mock_issuer_session):
    assert mock_issuer is mock_issuer_session
    SEEN.append(mock_issuer.listen_url)


def test_second_gets_the_same_issuer(mock_issuer):
    assert SEEN == [mock_issuer.listen_url]


@pytest.mark.anyio
async def test_async(async_mock_issuer):
    async with httpx.AsyncClient() as client:
        answer = await client.get(async_mock_issuer.discovery_url)
    assert answer.json()["token_endpoint"] == async_mock_issuer.token_endpoint
"""


def test_a_session_issuer_by_override_and_an_async_one(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_users_suite=USERS_SUITE)
    result = pytester.runpytest_inprocess(
        "-p", "mock_issuer.pytest_plugin", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=3)
