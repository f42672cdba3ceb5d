"""Redaction: known secrets never reach the report, in any wire encoding (RFC 6750 §5.3)."""

from __future__ import annotations

import base64
import random

import pytest

from harness.redaction import Redactor, fingerprint

SECRET = "s3cr3t/with+special=chars"


@pytest.mark.parametrize(
    "text",
    [
        f"token={SECRET}",
        "client_secret=s3cr3t%2Fwith%2Bspecial%3Dchars",
        "client_secret=s3cr3t%2Fwith%2Bspecial%3Dchars&x=1",
    ],
)
def test_a_registered_secret_is_redacted_raw_and_form_encoded(text: str) -> None:
    redacted = Redactor([SECRET]).redact(text)
    assert "s3cr3t" not in redacted
    assert f"[REDACTED:{fingerprint(SECRET)}]" in redacted


def test_a_basic_header_built_from_known_credentials_is_redacted() -> None:
    redactor = Redactor()
    redactor.add_basic("api-client", SECRET)
    header = base64.b64encode(f"api-client:{SECRET}".encode()).decode()
    assert header not in redactor.redact(f"Authorization: Basic {header}")


def test_basic_credentials_in_an_authorization_header_are_redacted_even_when_unknown() -> None:
    value = Redactor().redact_header("Authorization", "Basic dXNlcjpwYXNzd29yZA==")
    assert value.startswith("Basic [REDACTED:")
    assert "dXNlcjpwYXNzd29yZA" not in value


def test_an_unknown_bearer_value_stays_visible_so_garbage_tokens_can_be_read() -> None:
    assert Redactor().redact_header("Authorization", "Bearer garbage") == "Bearer garbage"


def test_pem_blocks_are_redacted_without_being_registered() -> None:
    label = "RSA " + "PRIVATE KEY"  # split, so no committed file looks like a key
    pem = f"-----BEGIN {label}-----\nMIIEabc\n-----END {label}-----"
    assert "MIIEabc" not in Redactor().redact(f"key: {pem}")


def test_short_values_are_not_treated_as_secrets() -> None:
    redactor = Redactor(["abc", ""])
    assert redactor.redact("abc") == "abc"
    assert redactor.secrets == ()


def test_find_reports_fingerprints_of_leaked_secrets_only() -> None:
    redactor = Redactor([SECRET, "another-secret-value"])
    assert redactor.find(f"log line {SECRET}") == [f"[REDACTED:{fingerprint(SECRET)}]"]
    assert redactor.find("clean log line") == []


def test_the_longest_secret_wins_when_one_contains_another() -> None:
    redactor = Redactor(["abcdefgh", "abcdefgh-ijklmnop"])
    assert redactor.redact("abcdefgh-ijklmnop") == f"[REDACTED:{fingerprint('abcdefgh-ijklmnop')}]"


def test_among_thousands_of_secrets_each_is_replaced_whole_where_a_text_holds_it() -> None:
    tokens = [f"eyJhbGciOiJSUzI1NiJ9.payload{n:05d}x.signature{n:05d}" for n in range(2000)]
    spaced = "pass word with short parts"  # no part of 8 characters: looked for in every text
    nested = tokens[7] + "-and-more"  # a secret holding another is replaced whole
    redactor = Redactor([*tokens, spaced, nested])
    text = f"Bearer {tokens[1234]}; {spaced}; {nested}; {tokens[7]}"
    assert redactor.redact(text) == (
        f"Bearer [REDACTED:{fingerprint(tokens[1234])}]; [REDACTED:{fingerprint(spaced)}]; "
        f"[REDACTED:{fingerprint(nested)}]; [REDACTED:{fingerprint(tokens[7])}]"
    )
    assert redactor.find(text) == sorted(
        f"[REDACTED:{fingerprint(s)}]" for s in (tokens[1234], spaced, nested, tokens[7])
    )
    assert redactor.find("nothing here") == [] and len(redactor.secrets) >= 2002


def test_a_text_asked_about_again_is_found_to_hold_a_secret_registered_since() -> None:
    later = "registered-after-the-first-scan"
    line = (
        f"GET /api/private Authorization: Bearer {later} -----BEGIN KEY-----\nAB\n-----END KEY-----"
    )
    redactor = Redactor([SECRET])
    pem = redactor.find(line)
    assert len(pem) == 1 and redactor.find(line) == pem  # the PEM block, remembered
    redactor.add(later)
    assert redactor.find(line) == sorted([*pem, f"[REDACTED:{fingerprint(later)}]"])
    assert redactor.find(f"{SECRET} {line}") == sorted(
        [*redactor.find(line), f"[REDACTED:{fingerprint(SECRET)}]"]
    )


def test_what_find_remembers_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("harness.redaction.MAX_REMEMBERED", 10)
    redactor = Redactor([SECRET])
    for n in range(25):
        assert redactor.find(f"line {n}") == []
    assert len(redactor._found) <= 10
    assert redactor.find(f"line 3 {SECRET}") == [f"[REDACTED:{fingerprint(SECRET)}]"]


def test_replacing_whole_words_first_redacts_as_the_scan_alone_would() -> None:
    rng = random.Random(7)
    tokens = [f"eyJhbGciOiJSUzI1NiJ9.{rng.randbytes(30).hex()}.{rng.randbytes(20).hex()}"
              for _ in range(40)]  # fmt: skip
    nested = tokens[3] + "-and-more"
    label = "PRIVATE " + "KEY"  # split, so no committed file looks like a key
    pem = f"-----BEGIN {label}-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END {label}-----\n"
    odd = "wf9Pv9hD:%+ \u00e9Qd5M894"  # as the mock's odd client secret: a space, no known word
    redactor = Redactor([*tokens, nested, SECRET, pem, odd])
    redactor.add_basic("client-id-1", "client secret with spaces"[:6] + "xyz123456")
    parts = [*tokens[:6], nested, SECRET, pem, odd, odd[:12], tokens[1][:30], tokens[2][10:],
             "Bearer", " ", "&", '"', "=", ":", "token=", "\n", "plain words here"]  # fmt: skip
    assert not redactor._spaced, "the whole-word path is off"
    for _ in range(300):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 8)))
        fast = redactor.redact(text)
        redactor._spaced = True  # the scan alone
        assert fast == redactor.redact(text), text
        redactor._spaced = False


@pytest.mark.parametrize("spaced_first", [False, True])
def test_a_secret_with_whitespace_is_replaced_whole_around_a_known_word(
    spaced_first: bool,
) -> None:
    token = "abcdefgh12345678"
    spaced = f"say {token} aloud"
    redactor = Redactor([spaced, token] if spaced_first else [token, spaced])
    assert redactor.redact(f"x {spaced} y") == f"x [REDACTED:{fingerprint(spaced)}] y"
