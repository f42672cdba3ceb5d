"""Token endpoint answers (RFC 6749 §5.1, §5.2) and the hints for the usual mistakes."""

from __future__ import annotations

import httpx
import pytest

from oauthkit import AccessToken, GrantError, IssuerFailed
from oauthkit.token_response import hint_for, request_token

from .fakes import ISSUER

ENDPOINT = f"{ISSUER}/oauth/v2/token"

HINTS = [
    ("jwt_profile", "server_error", "Errors.Internal", "CLIENT_PRIVATE_KEY_FILE_PATH"),
    ("jwt_profile", "invalid_grant", None, "'serviceaccount'"),
    ("jwt_profile", "invalid_request", "The scope of your request is missing", "TOKEN_SCOPES"),
    ("client_credentials", "invalid_client", "client not found", "user name"),
    (
        "client_credentials",
        "invalid_request",
        "Errors.User.Machine.Secret.Invalid",
        "CLIENT_SECRET",
    ),
    (
        "client_credentials",
        "invalid_request",
        "Errors.User.Machine.Secret.NotExisting",
        "no client",
    ),
    ("client_credentials", "unauthorized_client", None, "does not allow"),
    ("client_credentials", "invalid_scope", None, "TOKEN_SCOPES"),
]


@pytest.mark.parametrize(("grant", "error", "description", "expected"), HINTS)
def test_usual_mistakes_get_a_hint_naming_the_setting(
    grant: str, error: str, description: str | None, expected: str
) -> None:
    hint = hint_for(grant, error, description)
    assert hint is not None and expected in hint


def test_unknown_error_gets_no_hint() -> None:
    assert hint_for("client_credentials", "access_denied", None) is None


def answer(response: httpx.Response) -> AccessToken:
    with httpx.Client(transport=httpx.MockTransport(lambda r: response)) as http:
        return request_token(http, ENDPOINT, {"grant_type": "x"}, {}, 100.0, "client_credentials")


def test_rfc6749_5_1_answer_becomes_an_access_token() -> None:
    token = answer(
        httpx.Response(200, json={"access_token": "t", "token_type": "Bearer", "expires_in": 43199})
    )
    assert (token.access_token, token.token_type, token.expires_in) == ("t", "Bearer", 43199)
    assert (token.scope, token.expires_at) == (None, 43299.0)
    assert "'t'" not in repr(token)


def test_rfc6749_5_2_error_answer_becomes_a_grant_error_with_hint() -> None:
    body = {"error": "invalid_client", "error_description": "client not found"}
    with pytest.raises(GrantError) as raised:
        answer(httpx.Response(400, json=body))
    error = raised.value
    assert (error.error, error.error_description, error.status) == (
        "invalid_client",
        "client not found",
        400,
    )
    assert error.hint and "CLIENT_ID" in error.hint


def test_error_answer_that_is_not_json_is_still_a_grant_error() -> None:
    with pytest.raises(GrantError) as raised:
        answer(httpx.Response(502, text="Bad Gateway"))
    assert (raised.value.error, raised.value.status) == ("invalid_response", 502)


@pytest.mark.parametrize(
    "body",
    [{"token_type": "Bearer"}, {"access_token": "", "token_type": "Bearer"}, {"access_token": "t"}],
)
def test_rfc6749_5_1_success_without_token_or_type_is_an_issuer_failure(
    body: dict[str, str],
) -> None:
    with pytest.raises(IssuerFailed, match="with no token"):
        answer(httpx.Response(200, json=body))


def test_expires_in_of_the_wrong_type_is_treated_as_unknown() -> None:
    token = answer(
        httpx.Response(200, json={"access_token": "t", "token_type": "Bearer", "expires_in": "x"})
    )
    assert token.expires_in is None
