"""RFC 6749 §2.3.1 Basic credentials, and secrets kept out of repr and logs."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import unquote_plus

import pytest

from oauthkit import (
    ClientSecret,
    PersonalAccessToken,
    basic_authorization,
    digest,
    digest_fingerprint,
    fingerprint,
    short_digest,
)

PAIRS = [
    ("client", "secret", "client:secret"),
    ("svc user", "a+b", "svc+user:a%2Bb"),
    ("id", "p:a%s/s=", "id:p%3Aa%25s%2Fs%3D"),
    ("123@acme", "é", "123%40acme:%C3%A9"),
]


@pytest.mark.parametrize(("client_id", "secret", "encoded"), PAIRS)
def test_rfc6749_2_3_1_basic_parts_are_form_urlencoded_before_base64(
    client_id: str, secret: str, encoded: str
) -> None:
    header = basic_authorization(client_id, secret)
    assert header.startswith("Basic ")
    decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
    assert decoded == encoded
    user, _, password = decoded.partition(":")
    assert (unquote_plus(user), unquote_plus(password)) == (client_id, secret)


def test_fingerprint_is_short_stable_and_not_the_secret() -> None:
    assert fingerprint("tok") == fingerprint("tok")
    assert fingerprint("tok") != fingerprint("tok2")
    assert fingerprint("tok").startswith("sha256:") and len(fingerprint("tok")) == 15
    assert "tok" not in fingerprint("tok").removeprefix("sha256:")


def test_secrets_stay_out_of_repr() -> None:
    assert "hunter2" not in repr(ClientSecret("id", "hunter2"))
    assert "pat-value" not in repr(PersonalAccessToken("pat-value"))


def test_short_digest_of_a_generated_secret_is_8_hex_digits_not_in_the_secret() -> None:
    secret = "Zq3-generated_client_secret_value_0123456789"
    assert len(short_digest(secret)) == 8
    assert short_digest(secret) not in secret
    assert fingerprint(secret) == "sha256:" + short_digest(secret)


def test_the_fingerprint_of_a_known_digest_is_the_fingerprint_of_the_secret() -> None:
    assert digest("s3cret") == hashlib.sha256(b"s3cret").hexdigest()
    assert digest_fingerprint(digest("s3cret")) == fingerprint("s3cret")
    assert short_digest("s3cret") == digest("s3cret")[:8]
