"""Reading an issuer's JSON strictly: UTF-8, unique member names, plain finite numbers.

RFC 8259 (https://www.rfc-editor.org/rfc/rfc8259): §8.1 JSON between systems MUST be UTF-8
(Python would silently accept UTF-16 or UTF-32); §4 member names SHOULD be unique, and a
duplicate makes the object's meaning depend on the parser (``{"active": false, "active":
true}`` is active to Python and inactive to others), so it is refused; §6 has no ``NaN`` or
``Infinity`` and lets implementations limit the range of numbers: here integers of at most
:data:`MAX_INT_DIGITS` digits and finite floats. Nesting beyond Python's recursion limit is
refused too. Every failure is a `StrictJsonError` saying which rule was broken.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_INT_DIGITS = 32


class StrictJsonError(ValueError):
    """The text is not JSON of the strict kind this module accepts; the message says why."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    names = [name for name, _ in pairs]
    if len(names) != len(set(names)):
        repeated = sorted({n for n in names if names.count(n) > 1})
        raise StrictJsonError(f"member(s) {repeated} appear more than once (RFC 8259 §4)")
    return dict(pairs)


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise StrictJsonError(f"an integer of {len(text)} digits (more than {MAX_INT_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise StrictJsonError(f"the number {text[:20]} is out of range (RFC 8259 §6)")
    return value


def _constant(name: str) -> Any:
    raise StrictJsonError(f"{name} is not JSON (RFC 8259 §6)")


def loads(body: bytes) -> Any:
    """Parse ``body`` (UTF-8 JSON text) strictly; `StrictJsonError` says what is wrong."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise StrictJsonError("the body is not UTF-8 (RFC 8259 §8.1)") from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
        )
    except RecursionError:
        raise StrictJsonError("the JSON is nested too deeply") from None
    except StrictJsonError:
        raise
    except ValueError as exc:
        raise StrictJsonError(f"the body is not JSON ({type(exc).__name__})") from None
