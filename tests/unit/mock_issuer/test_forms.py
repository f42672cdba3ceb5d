"""Form bodies and client credentials (RFC 6749 §2.3, §2.3.1, §3.2)."""

from __future__ import annotations

import base64
from urllib.parse import quote_plus

import pytest
from starlette.requests import Request

from mock_issuer.errors import OAuthError
from mock_issuer.forms import MAX_FIELDS, parse_basic, parse_form, read_client_auth

FORM = "application/x-www-form-urlencoded"


def _basic(user: str, password: str) -> str:
    raw = f"{quote_plus(user)}:{quote_plus(password)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def _request(authorization: str | None = None) -> Request:
    headers = [(b"authorization", authorization.encode())] if authorization else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers})


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        pytest.param(b"a=1&b=x%20y", FORM, {"a": "1", "b": "x y"}, id="plain"),
        pytest.param(b"a=%C3%A9", FORM, {"a": "\u00e9"}, id="utf8-percent-escapes"),
        pytest.param(b"a=1&b=", FORM + "; charset=UTF-8", {"a": "1"}, id="blank-value-is-absent"),
        pytest.param(b"", "", {}, id="empty-body"),
    ],
)
def test_form_bodies_parse_to_single_values(
    body: bytes, content_type: str, expected: dict[str, str]
) -> None:
    assert parse_form(body, content_type) == expected


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        pytest.param(b"a=1&a=2", FORM, "repeated", id="RFC6749-3.2-repeated-parameter"),
        pytest.param(b"a=\xff\xfe", FORM, "UTF-8", id="raw-non-ascii-bytes"),
        pytest.param(b"a=%ff%fe", FORM, "UTF-8", id="percent-escapes-not-utf8"),
        pytest.param(b'{"a": 1}', "application/json", "Content-Type", id="json-body"),
        pytest.param(b"&".join(b"f%d=1" % i for i in range(MAX_FIELDS + 1)), FORM, "fields"),
    ],
)
def test_malformed_form_bodies_are_invalid_request(
    body: bytes, content_type: str, reason: str
) -> None:
    with pytest.raises(OAuthError, match=reason) as caught:
        parse_form(body, content_type)
    assert (caught.value.error, caught.value.status) == ("invalid_request", 400)


def test_rfc6749_basic_parts_are_form_url_decoded() -> None:
    assert parse_basic(_basic("svc user+1@x", "p:a%s s")) == ("svc user+1@x", "p:a%s s")


def test_other_authorization_schemes_are_not_client_credentials() -> None:
    assert parse_basic("Bearer abc") is None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Basic !!!", id="not-base64"),
        pytest.param("Basic " + base64.b64encode(b"no-colon").decode(), id="no-colon"),
        pytest.param("Basic " + base64.b64encode(b":secret").decode(), id="empty-client-id"),
        pytest.param("Basic " + base64.b64encode(b"\xff:\xfe").decode(), id="not-utf8"),
    ],
)
def test_malformed_basic_credentials_are_invalid_request(header: str) -> None:
    with pytest.raises(OAuthError, match="malformed Basic"):
        parse_basic(header)


def test_credentials_from_basic_header() -> None:
    creds = read_client_auth(_request(_basic("id", "secret")), {"scope": "openid"})
    assert (creds.client_id, creds.client_secret, creds.from_basic) == ("id", "secret", True)


def test_credentials_from_form_fields() -> None:
    creds = read_client_auth(_request(), {"client_id": "id", "client_secret": "s"})
    assert (creds.client_id, creds.client_secret, creds.from_basic) == ("id", "s", False)


@pytest.mark.parametrize(
    "form",
    [
        pytest.param({"client_secret": "s"}, id="basic-plus-form-secret"),
        pytest.param({"client_id": "other"}, id="basic-plus-different-form-client-id"),
        pytest.param({"client_assertion": "x.y.z"}, id="basic-plus-assertion"),
    ],
)
def test_rfc6749_2_3_more_than_one_client_authentication_method_is_rejected(
    form: dict[str, str],
) -> None:
    with pytest.raises(OAuthError, match="more than one method"):
        read_client_auth(_request(_basic("id", "secret")), form)


def test_form_secret_and_assertion_together_are_rejected() -> None:
    with pytest.raises(OAuthError, match="more than one method"):
        read_client_auth(_request(), {"client_secret": "s", "client_assertion": "a"})


def test_basic_with_the_same_client_id_in_the_form_is_one_method() -> None:
    creds = read_client_auth(_request(_basic("id", "secret")), {"client_id": "id"})
    assert creds.from_basic
