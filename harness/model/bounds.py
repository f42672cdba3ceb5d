"""Caps on everything the harness captures, and cutting text to them (a data table, mostly).

An API under test may answer with 30 MB, a gzip bomb or a log of tens of MB per request; the
harness keeps a bounded part of each and says what it left out. The caps are stated in the
report (`CAPS`); the report and its JSON twin have a size budget of their own
(``harness/report/budget.py``). Text is cut *after* redaction (``harness/redaction.py``): a
cut could otherwise split a secret and hide it from redaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

KIB = 1024
# Bytes of a response body read and judged by the checks; the rest is counted, not kept.
READ_BODY_BYTES = 256 * KIB
# Beyond that, bytes are read on only to count them, up to this many; then the connection closes.
COUNT_BODY_BYTES = 64 * KIB * KIB
# Characters shown of: a body, a header value, a URL, a check's expected/actual/detail.
SHOWN_BODY = 2000
SHOWN_HEADER = 500
SHOWN_URL = 1000
SHOWN_FIELD = 1000
SHOWN_DETAIL = 4000
# Bytes kept of one log line as it is captured; characters of it shown.
LINE_BYTES = 2 * KIB
SHOWN_LINE = 1000
# Per check: the first and last lines of the API's log, and all of them at most this long.
LOG_HEAD_LINES = 15
LOG_TAIL_LINES = 15
SHOWN_LOG = 12000
# Lines a log source keeps (the newest), and after how many marks it remembers the first
# lines (a check takes one, and one per poll while the API's output settles).
KEPT_LINES = 4000
KEPT_HEADS = 32
# Exchanges kept per check: the client's (the first and last ones), the API's with its issuer.
CLIENT_EXCHANGES = 6
ISSUER_EXCHANGES = 5
# Response headers recorded (the others are not shown).
SHOWN_RESPONSE_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "www-authenticate",
    "cache-control",
    "location",
)
# The report and its JSON twin are each kept under this many bytes.
REPORT_BYTES = 9 * KIB * KIB

CAPS: tuple[tuple[str, str], ...] = (
    ("a response body", f"{READ_BODY_BYTES // KIB} KiB read and judged, "
     f"{SHOWN_BODY:,} characters shown (the first and the last), the rest counted"),
    ("a header value", f"{SHOWN_HEADER:,} characters"),
    ("a log line", f"{LINE_BYTES // KIB} KiB kept, {SHOWN_LINE:,} characters shown"),
    ("the API's log during a check", f"its first {LOG_HEAD_LINES} and last {LOG_TAIL_LINES} "
     f"lines, {SHOWN_LOG:,} characters in all; the lines and bytes between are counted"),
    ("exchanges per check", f"{CLIENT_EXCHANGES} with the API (the first and the last), "
     f"{ISSUER_EXCHANGES} of the API with its issuer (the last)"),
    ("the report and its JSON", f"{REPORT_BYTES // (KIB * KIB)} MiB each; evidence beyond "
     "that is left out, the worst failures first in"),
)  # fmt: skip
"""What each cap is, in the words the report uses (a data table)."""

TRUNCATED_MARK = "[truncated by the harness:"


def cut_mark(left_out: int, total: int) -> str:
    """The visible mark where text was left out."""
    return f"\n{TRUNCATED_MARK} {left_out:,} of {total:,} characters left out here]\n"


def split_sizes(limit: int) -> tuple[int, int]:
    """How a cut to ``limit`` characters shares them: three quarters head, a quarter tail."""
    tail = limit // 4
    return limit - tail, tail


def clip(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters, keeping its head and tail, marked."""
    if len(text) <= limit:
        return text
    head, tail = split_sizes(limit)
    left_out = len(text) - head - tail
    return text[:head] + cut_mark(left_out, len(text)) + (text[-tail:] if tail else "")


def clip_body(text: str, limit: int = SHOWN_BODY) -> str:
    """A body cut for display (see `clip`); redact before, never after."""
    return clip(text, limit)


def first_and_last(items: Sequence[T], first: int, last: int) -> tuple[list[T], int]:
    """The first ``first`` and last ``last`` items, and how many were left out between."""
    if len(items) <= first + last:
        return list(items), 0
    return [*items[:first], *items[len(items) - last :]], len(items) - first - last
