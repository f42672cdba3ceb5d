"""Captures are bounded and clean: cut with head and tail kept, escaped, colours removed."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from harness.logcapture import GAP, CapturedRecord, LogCapture, shown_log
from harness.model.bounds import (
    KEPT_LINES,
    LINE_BYTES,
    LOG_HEAD_LINES,
    LOG_TAIL_LINES,
    TRUNCATED_MARK,
    clip,
    first_and_last,
)
from harness.model.kept import Kept
from harness.model.text import (
    BYTES_NOTE,
    clean_line,
    decode_body,
    escape_controls,
    json_safe,
    strip_ansi,
)
from harness.redaction import Redactor
from harness.subjects.process import SubjectProcess


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("a\x00b", "a\\x00b"),
        ("bidi \u202eevil", "bidi \\u202eevil"),
        ("C1 \x9b31m", "C1 \\x9b31m"),
        ("lone \ud800", "lone \\ud800"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("é § … stay", "é § … stay"),
    ],
)
def test_control_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert escape_controls(raw) == shown


def test_json_keeps_control_characters_as_json_escapes() -> None:
    assert json_safe('"\x9b\u202e"') == '"\\u009b\\u202e"'


def test_ansi_colours_and_titles_are_removed_from_log_lines() -> None:
    assert strip_ansi("\x1b[31mred\x1b[0m and \x1b]0;title\x07plain") == "red and plain"
    assert clean_line("\x1b[1mbold\x1b[0m\x07") == "bold\\x07"


@pytest.mark.parametrize(
    ("raw", "content_type", "text"),
    [
        ('{"e":1}'.encode("utf-16"), "application/json", '{"e":1}'),
        ("é".encode("latin-1"), "text/plain; charset=ISO-8859-1", "é"),
        ("é".encode(), "text/plain", "é"),
        (b"\xff\x00\x01A", "application/octet-stream", BYTES_NOTE + "\\xff\\x00\\x01A"),
    ],
)
def test_a_body_is_decoded_by_its_charset_or_shown_as_bytes(
    raw: bytes, content_type: str, text: str
) -> None:
    assert decode_body(raw, content_type) == text


def test_a_body_cut_inside_a_character_is_still_utf8() -> None:
    assert decode_body("aé".encode()[:2], cut=True) == "a"


def test_clip_keeps_the_head_and_the_tail_and_counts_what_it_left_out() -> None:
    text = "H" * 900 + "T" * 900
    clipped = clip(text, 400)
    assert clipped.startswith("H" * 300) and clipped.endswith("T" * 100)
    assert f"{TRUNCATED_MARK} 1,400 of 1,800 characters left out here]" in clipped
    assert first_and_last(list(range(10)), 2, 3) == ([0, 1, 7, 8, 9], 5)


def test_a_store_keeps_the_first_and_newest_lines_of_a_window_and_counts_the_gap() -> None:
    kept: Kept[str] = Kept(keep=5, head=2)
    kept.append("before", 6)
    mark = kept.mark()
    for n in range(20):
        kept.append(f"line {n}", 10)
    window = kept.window(mark)
    assert window.head == ["line 0", "line 1"]
    assert window.tail == [f"line {n}" for n in range(15, 20)]
    assert (window.gap_items, window.gap_size) == (13, 130)


def test_a_check_log_shows_its_first_and_last_lines_redacted_and_the_gap() -> None:
    secret = "tok-3f9a1c77e2b04d5c8e6f"
    records = [CapturedRecord("api", "INFO", "o", f"line {n} {secret}") for n in range(100)]
    records.insert(50, CapturedRecord("", GAP, "o", "", 5000, 70))
    shown = shown_log(records, Redactor([secret]))
    assert len(shown) == LOG_HEAD_LINES + 1 + LOG_TAIL_LINES
    assert shown[0].startswith("INFO api: line 0 [REDACTED:")
    assert "140 line(s)" in shown[LOG_HEAD_LINES]
    assert not any(secret[:8] in line for line in shown)


def test_a_long_log_line_keeps_its_head_and_tail_as_it_is_captured() -> None:
    capture = LogCapture().install()
    try:
        logging.getLogger("oauthkit.test").warning("h" * LINE_BYTES + "t" * 1000)
        (record,) = capture.records()
    finally:
        capture.uninstall()
    assert record.text.startswith("h" * (LINE_BYTES * 3 // 4))
    assert record.text.endswith("] " + "t" * (LINE_BYTES // 4))
    assert record.left_out == 1000 and "1,000 characters of this line left out" in record.text


def test_a_subject_that_prints_a_huge_line_and_many_lines_is_read_bounded(tmp_path: Path) -> None:
    script = (
        "import sys; w = sys.stdout.write; w('\\x1b[31mred\\x1b[0m\\n')"
        "; w('y' * 3_000_000 + 'END\\n')"
        f"; [w(f'n {{n}}\\n') for n in range({KEPT_LINES + 100})]"
    )
    process = SubjectProcess("chatty", [sys.executable, "-c", script], {}, tmp_path)
    assert process.wait_exit(30) == 0
    process.stop()
    window = process.lines()
    assert window.head[0].text == "red"
    assert window.head[1].text.startswith("y" * (LINE_BYTES * 3 // 4))
    assert window.head[1].text.endswith("y" * (LINE_BYTES // 4 - 3) + "END")
    assert window.head[1].left_out == 3_000_003 - LINE_BYTES
    assert len(window.tail) == KEPT_LINES and window.tail[-1].text == f"n {KEPT_LINES + 99}"
    assert window.gap_items == KEPT_LINES + 102 - len(window.head) - KEPT_LINES
