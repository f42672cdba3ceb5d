"""Strict JSON (RFC 8259): what an issuer's answer may not be, each refused with its rule."""

from __future__ import annotations

import pytest

from oauthkit.strict_json import StrictJsonError, loads


@pytest.mark.parametrize(
    ("body", "says"),
    [
        pytest.param(b'{"active": false, "active": true}', "more than once", id="RFC8259-4-dup"),
        pytest.param(b'{"exp": NaN}', "NaN", id="RFC8259-6-nan"),
        pytest.param(b'{"exp": Infinity}', "Infinity", id="RFC8259-6-infinity"),
        pytest.param(b'{"exp": 1e400}', "out of range", id="RFC8259-6-overflow"),
        pytest.param(b'{"exp": ' + b"9" * 400 + b"}", "400 digits", id="RFC8259-6-long-int"),
        pytest.param(b"[" * 50_000 + b"]" * 50_000, "nested", id="RFC8259-9-nesting"),
        pytest.param('{"a": 1}'.encode("utf-16"), "UTF-8", id="RFC8259-8.1-utf16"),
        pytest.param(b"", "not JSON", id="empty"),
        pytest.param(b"<html>", "not JSON", id="html"),
    ],
)
def test_each_broken_rule_is_refused_naming_it(body: bytes, says: str) -> None:
    with pytest.raises(StrictJsonError, match=says):
        loads(body)


def test_ordinary_answers_parse_as_usual() -> None:
    body = b'{"active": true, "exp": 1800000000, "aud": ["a"], "x": 1.5, "n": null}'
    assert loads(body) == {"active": True, "exp": 1800000000, "aud": ["a"], "x": 1.5, "n": None}
