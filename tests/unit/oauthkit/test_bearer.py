"""RFC 6750 §2.1: reading the bearer token from the Authorization header, table-driven."""

from __future__ import annotations

import pytest

from oauthkit import InvalidRequest, MissingToken, parse_authorization, parse_request
from oauthkit.bearer import implausible

VALID = [
    ("Bearer abc", "abc"),
    ("bearer abc", "abc"),
    ("BEARER abc", "abc"),
    ("Bearer  abc", "abc"),
    ("  Bearer abc  ", "abc"),
    ("Bearer A-Z.a_z~0+9/x", "A-Z.a_z~0+9/x"),
    ("Bearer abc==", "abc=="),
    ("Bearer eyJhbGci.eyJzdWIiOiIxIn0.c2ln", "eyJhbGci.eyJzdWIiOiIxIn0.c2ln"),
]

MISSING = [
    ([], "no header"),
    (["Basic dXNlcjpwYXNz"], "another scheme"),
    (["Basic"], "another scheme without credentials"),
    (["Token abc"], "an unknown scheme"),
    (["Bearerabc"], "a scheme glued to its token"),
]

MALFORMED = [
    (["Bearer"], "no token"),
    (["Bearer "], "only a space after the scheme"),
    (["Bearer a b"], "two tokens"),
    (["Bearer a\tb"], "a tab inside the token"),
    (["Bearer a=b"], "padding in the middle"),
    (["Bearer =abc"], "padding only"),
    (["Bearer ab,c"], "a comma"),
    (['Bearer ab"c'], "a quote"),
    (["Bearer abc\u00e9"], "a non-ASCII letter"),
    ([""], "an empty header"),
    (["Bearer a", "Bearer b"], "two Authorization headers"),
]


@pytest.mark.parametrize(("header", "token"), VALID, ids=[v[0] for v in VALID])
def test_rfc6750_2_1_bearer_credentials_yield_the_token(header: str, token: str) -> None:
    assert parse_authorization([header]) == token


@pytest.mark.parametrize(("values", "case"), MISSING, ids=[m[1] for m in MISSING])
def test_rfc6750_3_1_request_without_bearer_credentials_is_missing_token(
    values: list[str], case: str
) -> None:
    with pytest.raises(MissingToken) as raised:
        parse_authorization(values)
    assert raised.value.status == 401
    assert raised.value.error is None


@pytest.mark.parametrize(("values", "case"), MALFORMED, ids=[m[1] for m in MALFORMED])
def test_rfc6750_2_1_malformed_bearer_credentials_are_invalid_request(
    values: list[str], case: str
) -> None:
    with pytest.raises(InvalidRequest) as raised:
        parse_authorization(values)
    assert (raised.value.status, raised.value.error) == (400, "invalid_request")


def test_rfc6750_2_a_token_in_the_header_and_the_query_is_invalid_request() -> None:
    with pytest.raises(InvalidRequest, match="query"):
        parse_request(["Bearer abc"], query_tokens=1)


def test_rfc6750_2_3_a_token_in_the_query_only_counts_as_no_credentials() -> None:
    with pytest.raises(MissingToken):
        parse_request([], query_tokens=1)
    assert parse_request(["Bearer abc"], query_tokens=0) == "abc"


@pytest.mark.parametrize(
    ("token", "says"),
    [("." * 5000, "dots"), ("A" * 65536, "characters"), ("a.b.c.d.e.f", "dots")],
)
def test_tokens_that_cannot_be_tokens_are_named_implausible(token: str, says: str) -> None:
    assert says in implausible(token)


@pytest.mark.parametrize("token", ["abc", "h.p.s", "a.b.c.d.e", "V2_1-at_2", "x" * 8192])
def test_opaque_tokens_jws_and_jwe_are_plausible(token: str) -> None:
    assert implausible(token) == ""
