"""Judging answers: the challenge parser and the RFC 6750 §3 expectations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from harness.checks.base import CheckContext, Reply
from harness.checks.expect import (
    describe,
    expect_bearer_error,
    expect_status,
    expect_unavailable,
    parse_challenge,
)
from harness.model.matrix import Mode, TokenFormat, Variant, cell_by_number
from harness.model.results import Level, Status
from harness.redaction import Redactor


@dataclass
class _Target:
    redactor: Redactor = field(default_factory=Redactor)
    mode: Mode = Mode.MOCK


def _ctx() -> CheckContext:
    variant = Variant(cell_by_number(1), TokenFormat.OPAQUE)
    return CheckContext(_Target(), variant)  # type: ignore[arg-type]


def _reply(status: int | None, challenge: str = "", body: str = "", **kw: Any) -> Reply:
    headers = httpx.Headers({"www-authenticate": challenge} if challenge else {})
    return Reply(status, headers, body, shown_text=body, **kw)


@pytest.mark.parametrize(
    ("value", "scheme", "params"),
    [
        ('Bearer realm="api"', "bearer", {"realm": "api"}),
        (
            'Bearer realm="api", error="invalid_token", error_description="The token expired"',
            "bearer",
            {"realm": "api", "error": "invalid_token", "error_description": "The token expired"},
        ),
        (
            'bearer error=invalid_request,realm="a, b"',
            "bearer",
            {"error": "invalid_request", "realm": "a, b"},
        ),
        ('Bearer realm="say \\"hi\\""', "bearer", {"realm": 'say "hi"'}),
        ("Basic", "basic", {}),
    ],
)
def test_challenges_are_parsed_into_scheme_and_parameters(
    value: str, scheme: str, params: dict[str, str]
) -> None:
    challenge = parse_challenge(value)
    assert challenge is not None
    assert (challenge.scheme, challenge.params) == (scheme, params)


def test_an_empty_header_has_no_challenge() -> None:
    assert parse_challenge("  ") is None


@pytest.mark.parametrize(
    ("reply", "status", "error", "verdict"),
    [
        (_reply(401, 'Bearer realm="api"'), 401, None, Status.PASSED),
        (_reply(401, 'Bearer realm="api", error="invalid_token"'), 401, None, Status.FAILED),
        (
            _reply(401, 'Bearer realm="api", error="invalid_token"'),
            401,
            "invalid_token",
            Status.PASSED,
        ),
        (
            _reply(401, 'Bearer realm="api", error="invalid_request"'),
            401,
            "invalid_token",
            Status.FAILED,
        ),
        (_reply(401), 401, "invalid_token", Status.FAILED),
        (_reply(401, 'Basic realm="api"'), 401, None, Status.FAILED),
        (_reply(500, 'Bearer error="invalid_token"'), 401, "invalid_token", Status.FAILED),
        (_reply(None, error="ConnectError"), 401, None, Status.FAILED),
    ],
)
def test_rfc6750_3_bearer_error_expectation(
    reply: Reply, status: int, error: str | None, verdict: Status
) -> None:
    assert expect_bearer_error(_ctx(), reply, status, error).status is verdict


def test_a_failed_expectation_says_what_was_expected_and_what_came() -> None:
    outcome = expect_bearer_error(_ctx(), _reply(200, body='{"ok":1}'), 401, "invalid_token")
    assert outcome.expected == 'HTTP 401 with WWW-Authenticate: Bearer (error="invalid_token")'
    assert outcome.actual == 'HTTP 200; body {"ok":1}'
    assert "the status is 200, not 401" in outcome.detail


@pytest.mark.parametrize(
    ("status", "verdict"), [(503, Status.PASSED), (500, Status.FAILED), (200, Status.FAILED)]
)
def test_issuer_trouble_must_be_503_never_200_or_500(status: int, verdict: Status) -> None:
    assert expect_unavailable(_ctx(), _reply(status)).status is verdict


def test_expect_status_compares_the_status_only() -> None:
    assert expect_status(_ctx(), _reply(200), 200).status is Status.PASSED
    assert expect_status(_ctx(), _reply(None, error="boom"), 200).status is Status.FAILED


def test_outcome_texts_are_redacted() -> None:
    ctx = _ctx()
    ctx.target.redactor.add("secret-token-value-123")
    outcome = expect_status(ctx, _reply(500, body="echo secret-token-value-123"), 200)
    assert "secret-token-value-123" not in outcome.actual


def test_long_bodies_are_shortened_in_descriptions() -> None:
    assert len(describe(_reply(500, body="x" * 5000))) < 400


@pytest.mark.parametrize(
    ("status", "level", "fail_open"),
    [
        (200, Level.MUST, True),
        (204, Level.MUST, True),
        (500, Level.SHOULD, False),
        (502, Level.SHOULD, False),
        (401, Level.SHOULD, False),
        (403, Level.SHOULD, False),
        (400, None, False),
        (None, None, False),
    ],
)
def test_issuer_failures_are_graded(
    status: int | None, level: Level | None, fail_open: bool
) -> None:
    outcome = expect_unavailable(_ctx(), _reply(status, error="" if status else "ReadTimeout"))
    assert outcome.status is Status.FAILED
    assert outcome.level is level  # None: the check's own level (MUST)
    assert outcome.fail_open is fail_open


def test_a_2xx_where_a_refusal_is_owed_is_fail_open() -> None:
    outcome = expect_bearer_error(_ctx(), _reply(200, body="{}"), 401, "invalid_token")
    assert (outcome.status, outcome.level, outcome.fail_open) == (Status.FAILED, Level.MUST, True)
    assert outcome.detail.startswith("Fail-open")


def test_a_refusal_with_the_wrong_code_is_no_fail_open() -> None:
    outcome = expect_bearer_error(_ctx(), _reply(403, 'Bearer error="x"'), 401, "invalid_token")
    assert outcome.status is Status.FAILED
    assert not outcome.fail_open


def test_a_refusal_whose_challenge_names_no_error_fails_at_should_level() -> None:
    outcome = expect_bearer_error(_ctx(), _reply(401, "Bearer"), 401, "invalid_token")
    assert (outcome.status, outcome.level, outcome.fail_open) == (
        Status.FAILED,
        Level.SHOULD,
        False,
    )
    assert "no error code" in outcome.detail
