"""Clean text: what an API sends or prints, made fit for a terminal, an HTML page and a JSON file.

Whatever a subject answers or logs may hold control characters: ESC and OSC sequences retitle
a terminal or recolour a CI log, NUL bytes make ``grep`` call a report binary, bidirectional
overrides reorder what a reader sees (Unicode TR #9). Every captured text is therefore
*escaped* (`escape_controls`: each such character becomes a visible ``\\x1b`` or ``\\u202e``);
ANSI colour sequences in captured logs are *removed* first (`strip_ansi`, ECMA-48 §5.4 and
§8.3.89). A body is decoded by the charset its ``Content-Type`` names (RFC 9110 §8.3.2) or by
its byte order mark; a body that is neither that nor UTF-8 is shown as bytes (`as_bytes`).
"""

from __future__ import annotations

import codecs
import re

# C0 but tab and newline, DEL, C1, the bidirectional and zero-width marks, the line and
# paragraph separators, the byte order mark, lone surrogates.
_ESCAPED_RANGES = (
    (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x061C, 0x061C), (0x200B, 0x200F),
    (0x2028, 0x202E), (0x2060, 0x2069), (0xFEFF, 0xFEFF), (0xD800, 0xDFFF),
)  # fmt: skip
_CONTROLS = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _ESCAPED_RANGES) + "]")
# CSI (ESC [ or the C1 CSI), OSC up to BEL or ST, and two-character escapes.
_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]"
)
_CHARSET = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9._:+-]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BYTES_NOTE = "[not UTF-8 and no usable charset: shown as bytes] "


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_ESCAPES = {code: _escape(code) for a, b in _ESCAPED_RANGES for code in range(a, b + 1)}


def escape_controls(text: str) -> str:
    """``text`` with every control or invisible formatting character as a visible escape."""
    return text.translate(_ESCAPES) if _CONTROLS.search(text) else text


def json_safe(text: str) -> str:
    """A JSON document with those characters as JSON ``\\uXXXX`` escapes (still valid JSON)."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def strip_ansi(text: str) -> str:
    """``text`` without ANSI escape sequences (colours, cursor moves, window titles)."""
    return _ANSI.sub("", text) if ("\x1b" in text or "\x9b" in text or "\x9d" in text) else text


def clean_line(text: str) -> str:
    """A captured log line: colours removed, other control characters escaped."""
    return escape_controls(strip_ansi(text))


def as_bytes(raw: bytes) -> str:
    """Bytes as ASCII text: printable ASCII, tab and newline kept, every other byte ``\\xNN``."""
    return "".join(chr(b) if 0x20 <= b < 0x7F or b in (0x09, 0x0A) else f"\\x{b:02x}" for b in raw)


def charset_of(content_type: str) -> str:
    """The charset a ``Content-Type`` value names, if Python knows it ('' otherwise)."""
    match = _CHARSET.search(content_type or "")
    if match is None:
        return ""
    try:
        return codecs.lookup(match.group(1)).name
    except LookupError:
        return ""


def decode_body(raw: bytes, content_type: str = "", cut: bool = False) -> str:
    """A body as text: by its charset, its byte order mark, as UTF-8, or else as bytes.

    ``cut``: the body was read only in part, so a character split at the end is dropped.
    """
    charset = charset_of(content_type) or next((c for b, c in _BOMS if raw.startswith(b)), "")
    if charset:
        decoder = codecs.getincrementaldecoder(charset)("replace")
        return decoder.decode(raw, final=not cut)
    try:
        return codecs.getincrementaldecoder("utf-8")("strict").decode(raw, final=not cut)
    except UnicodeDecodeError:
        return BYTES_NOTE + as_bytes(raw)
