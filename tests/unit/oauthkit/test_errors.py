"""RFC 6750 §3: every refusal renders its own status, body and WWW-Authenticate challenge."""

from __future__ import annotations

import pytest

from oauthkit import (
    InsufficientScope,
    InvalidRequest,
    InvalidToken,
    IssuerFailed,
    IssuerRejectedClient,
    IssuerUnreachable,
    MissingToken,
    ResourceError,
)
from oauthkit.errors import challenge

RENDERED = [
    (MissingToken(), 401, None, 'Bearer realm="api"'),
    (
        InvalidRequest(),
        400,
        "invalid_request",
        'Bearer realm="api", error="invalid_request", '
        'error_description="The Authorization header is malformed."',
    ),
    (
        InvalidToken(),
        401,
        "invalid_token",
        'Bearer realm="api", error="invalid_token", '
        'error_description="The access token is not valid."',
    ),
    (
        InsufficientScope(("read:messages",)),
        403,
        "insufficient_scope",
        'Bearer realm="api", error="insufficient_scope", '
        'error_description="The access token lacks the role(s): read:messages.", '
        'scope="read:messages"',
    ),
    (IssuerUnreachable("x"), 503, "temporarily_unavailable", None),
    (IssuerFailed("x"), 503, "temporarily_unavailable", None),
    (IssuerRejectedClient("x"), 503, "temporarily_unavailable", None),
]


@pytest.mark.parametrize(
    ("error", "status", "code", "header"), RENDERED, ids=[type(r[0]).__name__ for r in RENDERED]
)
def test_each_error_renders_status_code_and_challenge(
    error: ResourceError, status: int, code: str | None, header: str | None
) -> None:
    assert error.status == status
    assert error.body().get("error") == code
    assert error.body()["error_description"]
    assert error.challenge("api") == header


def test_rfc6750_3_1_no_credentials_body_and_challenge_carry_no_error_code() -> None:
    error = MissingToken()
    assert "error" not in error.body()
    assert "error=" not in (error.challenge("api") or "")


def test_realm_quotes_and_backslashes_are_escaped() -> None:
    assert challenge('my "api" \\ v1') == 'Bearer realm="my \\"api\\" \\\\ v1"'


def test_rfc6750_3_parameters_outside_the_allowed_characters_are_replaced() -> None:
    header = challenge("api", error_description='say "hi"\\\n\u00e9')
    assert header == 'Bearer realm="api", error_description="say ?hi????"'


def test_detail_for_logs_differs_from_the_description_for_callers() -> None:
    error = InvalidToken("audience ['x'] contains none of ['p1']")
    assert str(error) == "audience ['x'] contains none of ['p1']"
    assert "audience" not in error.description
