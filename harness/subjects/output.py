"""A subject's output, read line by line as it prints it, and kept bounded.

Each line keeps its head (`LINE_BYTES`) and its tail; the bytes between are counted, not kept,
so a subject that prints one endless line costs no memory (``logcapture.py`` cleans the text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from harness.logcapture import captured_text
from harness.model.bounds import LINE_BYTES
from harness.model.kept import Kept

# A line's bytes beyond the kept ones are read in pieces this big; its last bytes are kept too.
SKIP_CHUNK = 64 * 1024
TAIL_BYTES = LINE_BYTES // 4


@dataclass(frozen=True)
class OutputLine:
    """One line the subject printed, on which stream, cut and cleaned (``left_out``: the
    characters not kept)."""

    stream: str
    text: str
    left_out: int = 0


def read_lines(stream: IO[bytes], label: str, lines: Kept[OutputLine]) -> None:
    """Read ``stream`` to its end into ``lines`` (each labelled with the stream's name)."""
    for raw in iter(lambda: stream.readline(LINE_BYTES), b""):
        skipped, tail = 0, b""
        while not raw.endswith(b"\n") and (more := stream.readline(SKIP_CHUNK)):
            joined = tail + more.rstrip(b"\r\n")  # too long: keep the end, count the rest
            skipped += len(joined) - min(len(joined), TAIL_BYTES)
            tail = joined[-TAIL_BYTES:]
            if more.endswith(b"\n"):
                break
        text, cut = captured_text(_text(raw), _text(tail), skipped)
        lines.append(OutputLine(label, text, cut), len(raw) + skipped + len(tail))
    stream.close()


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").rstrip("\r\n")
