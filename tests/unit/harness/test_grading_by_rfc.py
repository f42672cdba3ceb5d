"""Grades that follow what the RFCs require: fail-open only where a refusal is owed (issue 16).

A lie whose answer still says the valid token is active in a form an RFC lets a receiver read
fails at SHOULD when let in; a usable discovery document may be used; a request carrying one
valid token twice owes 400 at SHOULD level (RFC 6750 §3.1).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from harness.checks.base import Reply
from harness.checks.lies import READABLE, judge
from harness.checks.odd_requests import _one_token_twice
from harness.model.results import Level, Status
from mock_issuer import LieKind
from tests.unit.harness.test_expect import _ctx


def _reply(status: int, challenge: str = "", **kw: Any) -> Reply:
    headers = httpx.Headers({"www-authenticate": challenge} if challenge else {})
    return Reply(status, headers, "", **kw)


@pytest.mark.parametrize("lie", sorted(READABLE, key=lambda k: k.name))
def test_a_readable_answer_let_in_fails_at_should_not_open(lie: LieKind) -> None:
    outcome = judge(_ctx(), _reply(200), 503, lie)
    assert (outcome.status, outcome.level, outcome.fail_open) == (
        Status.FAILED,
        Level.SHOULD,
        False,
    )


@pytest.mark.parametrize("lie", [LieKind.EXPIRED, LieKind.FOREIGN_AUDIENCE, None])
def test_an_answer_that_says_the_token_is_no_good_here_let_in_is_fail_open(
    lie: LieKind | None,
) -> None:
    outcome = judge(_ctx(), _reply(200), 401, lie)
    assert outcome.fail_open and outcome.level is Level.MUST


def test_a_usable_discovery_document_may_be_used() -> None:
    outcome = judge(_ctx(), _reply(200), 503, LieKind.DISCOVERY_HUGE_NUMBER)
    assert outcome.status is Status.PASSED


@pytest.mark.parametrize(
    ("status", "challenge", "level"),
    [
        (200, "", Level.SHOULD),
        (401, 'Bearer error="invalid_token"', Level.SHOULD),
        (401, "", Level.MUST),
        (500, "", Level.MUST),
    ],
)
def test_one_valid_token_sent_twice_owes_400_at_should_level(
    status: int, challenge: str, level: Level
) -> None:
    outcome = _one_token_twice(_ctx(), _reply(status, challenge))
    assert (outcome.status, outcome.level, outcome.fail_open) == (Status.FAILED, level, False)


def test_one_valid_token_sent_twice_and_refused_with_400_invalid_request_passes() -> None:
    reply = _reply(400, 'Bearer error="invalid_request"')
    assert _one_token_twice(_ctx(), reply).status is Status.PASSED
