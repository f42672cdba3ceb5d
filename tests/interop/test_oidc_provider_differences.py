"""What oidc-provider answers to bad requests, measured, where ZITADEL may answer otherwise.

Each test pins one measured answer (status, `error`) so the table "oidc-provider vs ZITADEL"
in README.md stays true; `record_property` keeps the full answer in the JUnit XML. Rules:
RFC 6749 §2.3.1 and §5.2 (client authentication and token errors), RFC 7523 §3 and §3.1
(assertions and their errors), RFC 7662 §2.1-§2.3 (introspection), RFC 9068 (JWT access tokens).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .raw_client import RawClient
from .wire import JWT_BEARER, basic_authorization, unencoded_basic_authorization

pytestmark = pytest.mark.interop

RecordProperty = Callable[[str, object], None]


@pytest.fixture(scope="module")
def stranger_key() -> str:
    """An RSA key nobody registered, PKCS#1 PEM: signatures with it must not verify."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return pem.decode("ascii")


def answer(response: httpx.Response, record_property: RecordProperty) -> tuple[int, str]:
    """Record the issuer's full answer and return (status, error code)."""
    body: dict[str, Any] = response.json()
    challenge = response.headers.get("WWW-Authenticate")
    measured = {"status": response.status_code, "body": body, "challenge": challenge}
    record_property("measured", measured)
    return response.status_code, str(body.get("error"))


def past_claims() -> dict[str, object]:
    """exp a minute ago, iat two minutes ago."""
    now = int(time.time())
    return {"exp": now - 60, "iat": now - 120}


# -- token endpoint ---------------------------------------------------------------------------


def test_rfc6749_5_2_wrong_client_secret_at_token_endpoint_is_401_invalid_client(
    raw: RawClient, record_property: RecordProperty
) -> None:
    env = raw.provider.env
    headers = {"Authorization": basic_authorization(env["CLIENT_ID"], "wrong-secret")}
    response = raw.http.post(
        raw.discovery["token_endpoint"], data={"grant_type": "client_credentials"}, headers=headers
    )

    assert answer(response, record_property) == (401, "invalid_client")
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


@pytest.mark.parametrize("endpoint", ["token_endpoint", "introspection_endpoint"])
def test_rfc6749_2_3_1_basic_credentials_without_form_urlencoding_are_rejected(
    raw: RawClient, record_property: RecordProperty, endpoint: str
) -> None:
    # The fixture's secrets end in "+/:%", which only a form-urlencoded Basic header carries.
    env = raw.provider.env
    client_id, secret = (
        (env["CLIENT_ID"], env["CLIENT_SECRET"])
        if endpoint == "token_endpoint"
        else (env["API_CLIENT_ID"], env["API_CLIENT_SECRET"])
    )
    headers = {"Authorization": unencoded_basic_authorization(client_id, secret)}
    data = {"grant_type": "client_credentials", "token": "x"}
    response = raw.http.post(raw.discovery[endpoint], data=data, headers=headers)

    assert answer(response, record_property) == (400, "invalid_request")


ASSERTION_CASES: dict[str, Callable[[str], dict[str, Any]]] = {
    "bad_signature": lambda stranger: {"signing_key": stranger},
    "iss_not_equal_to_sub": lambda _: {"claims": {"sub": "someone-else"}},
    "wrong_aud": lambda _: {"claims": {"aud": "https://elsewhere.example"}},
    "expired_exp": lambda _: {"claims": past_claims()},
    "missing_exp": lambda _: {"drop": ("exp",)},
}


@pytest.mark.parametrize("case", ASSERTION_CASES)
def test_rfc7523_grant_assertion_with_a_broken_rule_is_rejected_as_invalid_grant(
    raw: RawClient, record_property: RecordProperty, stranger_key: str, case: str
) -> None:
    assertion = raw.grant_assertion(**ASSERTION_CASES[case](stranger_key))

    assert answer(raw.jwt_profile(assertion), record_property) == (400, "invalid_grant")


def test_rfc7523_grant_assertion_replayed_with_the_same_jti_is_rejected(
    raw: RawClient, record_property: RecordProperty
) -> None:
    assertion = raw.grant_assertion()
    assert raw.jwt_profile(assertion).status_code == 200

    assert answer(raw.jwt_profile(assertion), record_property) == (400, "invalid_grant")


def test_jwt_bearer_grant_without_client_id_is_rejected_since_every_token_request_names_a_client(
    raw: RawClient, record_property: RecordProperty
) -> None:
    data = {"grant_type": JWT_BEARER, "assertion": raw.grant_assertion(), "scope": "read:messages"}
    response = raw.http.post(raw.discovery["token_endpoint"], data=data)

    assert answer(response, record_property) == (400, "invalid_request")


def test_unknown_scopes_are_dropped_silently_as_zitadel_does(raw: RawClient) -> None:
    response = raw.client_credentials(scope="read:messages write:everything")

    assert response.status_code == 200
    assert response.json()["scope"] == "read:messages"


# -- introspection endpoint -------------------------------------------------------------------


@pytest.mark.parametrize("client", ["known_client_wrong_secret", "unknown_client"])
def test_rfc7662_2_1_bad_basic_credentials_at_introspection_are_401_invalid_client(
    raw: RawClient, record_property: RecordProperty, client: str
) -> None:
    client_id = raw.provider.env["API_CLIENT_ID"] if client == "known_client_wrong_secret" else "x"
    response = raw.introspect_basic(raw.token("pat"), client_id, "wrong-secret")

    assert answer(response, record_property) == (401, "invalid_client")
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


CLIENT_ASSERTION_CASES: dict[str, Callable[[str], dict[str, Any]]] = {
    "bad_signature": lambda stranger: {"signing_key": stranger},
    "missing_jti": lambda _: {"drop": ("jti",)},
    "wrong_aud": lambda _: {"claims": {"aud": "https://elsewhere.example"}},
    "expired_exp": lambda _: {"claims": past_claims()},
}


@pytest.mark.parametrize("case", CLIENT_ASSERTION_CASES)
def test_rfc7523_client_assertion_with_a_broken_rule_is_401_invalid_client_at_introspection(
    raw: RawClient, record_property: RecordProperty, stranger_key: str, case: str
) -> None:
    assertion = raw.api_assertion(**CLIENT_ASSERTION_CASES[case](stranger_key))
    response = raw.introspect_private_key_jwt(raw.token("pat"), assertion)

    assert answer(response, record_property) == (401, "invalid_client")
    assert "WWW-Authenticate" not in response.headers


def test_rfc7523_client_assertion_replayed_with_the_same_jti_is_rejected_at_introspection(
    raw: RawClient, record_property: RecordProperty
) -> None:
    assertion = raw.api_assertion()
    assert raw.introspect_private_key_jwt(raw.token("pat"), assertion).status_code == 200

    response = raw.introspect_private_key_jwt(raw.token("pat"), assertion)

    assert answer(response, record_property) == (401, "invalid_client")


def test_client_assertion_that_is_not_a_jwt_is_400_invalid_request_at_introspection(
    raw: RawClient, record_property: RecordProperty
) -> None:
    response = raw.introspect_private_key_jwt(raw.token("pat"), "not-a-jwt")

    assert answer(response, record_property) == (400, "invalid_request")


def test_rfc8414_2_discovery_omits_introspection_auth_methods_so_clients_must_not_require_it(
    raw: RawClient,
) -> None:
    # RFC 8414 §2: when omitted, the methods are "determined by other means"; ZITADEL lists them.
    assert "introspection_endpoint_auth_methods_supported" not in raw.discovery
    assert "private_key_jwt" in raw.discovery["token_endpoint_auth_methods_supported"]


def test_rfc7662_2_1_introspection_without_client_authentication_is_400_invalid_request(
    raw: RawClient, record_property: RecordProperty
) -> None:
    response = raw.http.post(raw.introspection_endpoint, data={"token": raw.token("pat")})

    assert answer(response, record_property) == (400, "invalid_request")


def test_rfc7662_2_1_bad_client_credentials_win_over_an_unknown_token(
    raw: RawClient, record_property: RecordProperty
) -> None:
    response = raw.introspect_basic("unknown-token", raw.provider.env["API_CLIENT_ID"], "wrong")

    assert answer(response, record_property) == (401, "invalid_client")


@pytest.mark.parametrize("auth", ["private_key_jwt", "client_secret_basic"])
def test_jwt_access_tokens_are_refused_at_introspection_as_unsupported_token_type(
    raw: RawClient, record_property: RecordProperty, auth: str
) -> None:
    issued = raw.client_credentials(resource=raw.provider.resources["jwt"])
    assert issued.status_code == 200, issued.text

    response = raw.introspect(issued.json()["access_token"], auth)

    assert answer(response, record_property) == (400, "unsupported_token_type")
