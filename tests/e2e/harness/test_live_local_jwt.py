"""The local-JWT column in live mode, against a mock issuer that issues JWT access tokens.

The mock's ``--write-env`` of a JWT world is all live mode needs: the JWT variant is declared,
the local-JWT API is served and the checks that need no issuer control run (the forgeries, the
revocation window through the issuer's revocation endpoint); the rest say they need the mock.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.checks import check_by_id
from harness.model.matrix import TokenFormat, Variant, cell_by_number
from harness.model.results import Status
from harness.run.execute import execute
from harness.targets.live import LiveTarget, declared_format
from mock_issuer.issuer import MockIssuer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveTarget]:
    issuer = MockIssuer().start()
    try:
        env_file = issuer.provision(access_token_type="jwt").write_env(
            tmp_path_factory.mktemp("jwt-world")
        )
        assert declared_format(env_file) is TokenFormat.JWT
        target = LiveTarget(env_file, environ={})
        try:
            yield target
        finally:
            target.close()
    finally:
        issuer.stop()


@pytest.mark.parametrize(
    ("check_id", "status"),
    [
        ("RFC6750-2.1-valid-token", Status.PASSED),
        ("RFC6750-3.1-role-present", Status.PASSED),
        ("RFC9068-4-opaque-token", Status.PASSED),  # the configured PAT
        ("RFC8725-3.1-alg-none", Status.PASSED),
        ("RFC8725-2.1-hs256-public-key", Status.PASSED),
        ("RFC7515-2-padded-jwt", Status.PASSED),
        ("RFC7515-5.2-foreign-key-known-kid", Status.PASSED),
        ("RFC7662-4-wrong-audience", Status.PASSED),
        ("RFC7517-5-key-rotation", Status.NOT_APPLICABLE),
        ("RFC7662-2.2-revoked-token", Status.NOT_APPLICABLE),
    ],
)
def test_the_local_jwt_column_runs_against_a_live_issuer_of_jwt_access_tokens(
    live: LiveTarget, check_id: str, status: Status
) -> None:
    result = execute(check_by_id(check_id), live, Variant(cell_by_number(8), TokenFormat.JWT))
    assert result.status is status, (result.actual, result.detail)


def test_the_revocation_window_is_recorded_through_the_revocation_endpoint(
    live: LiveTarget,
) -> None:
    check = check_by_id("RFC9068-4-revoked-jwt-accepted-until-exp")
    result = execute(check, live, Variant(cell_by_number(7), TokenFormat.JWT))
    assert result.status is Status.PASSED
    assert "stays accepted for about" in result.detail
