"""Capturing the APIs' log records, bounded, so a check can prove no secret is logged.

RFC 6750 §5.3 asks that bearer tokens not leak; logs are the usual leak (the public examples
print tokens and introspection payloads). The handler keeps every record of the process with
its *origin*: the label of the API whose request was being served (set by `label_requests`),
or else the emitting thread's name. Records of the harness and the mock issuer themselves
(loggers under ``harness.``) are not kept: they are not the API's.

A chatty API writes tens of MB per request, so every log source is a `Kept` store: each line
cut to `LINE_BYTES` as it arrives (the rest counted), colours removed and control characters
escaped (``harness/model/text.py``); a `Kept` store holds the newest lines, and after each
mark (one per check) its first lines too, so a check's log shows its head and its tail with the
lines and characters between counted. `shown_log` redacts a check's lines before it cuts them.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from harness.model.bounds import (
    LINE_BYTES,
    LOG_HEAD_LINES,
    LOG_TAIL_LINES,
    SHOWN_LINE,
    SHOWN_LOG,
    split_sizes,
)
from harness.model.kept import Kept, Window
from harness.model.text import clean_line
from harness.redaction import Redactor

# The samples and the library they share; their records are kept down to DEBUG.
API_LOGGERS = ("api_jwt", "api_basic_auth", "oauthkit")
OWN_LOGGERS = "harness"
GAP = "GAP"
LEFT_OUT = " [… {:,} characters of this line left out by the harness …] "
_origin: contextvars.ContextVar[str] = contextvars.ContextVar("harness_log_origin", default="")

# How many records each source (a process, a capture) had written: a point to read on from.
LogMark = Mapping[int, int]


@dataclass(frozen=True)
class CapturedRecord:
    """One log record, formatted (arguments merged, exception text appended), cleaned, and cut
    to `LINE_BYTES` (``left_out``: the characters dropped). A record of level `GAP` stands for
    ``left_out`` characters of ``lines`` records the store did not keep."""

    logger: str
    level: str
    origin: str
    text: str
    left_out: int = 0
    lines: int = 0

    @property
    def gap(self) -> bool:
        """True for the stand-in of records left out."""
        return self.level == GAP


def captured_text(text: str, tail: str = "", skipped: int = 0) -> tuple[str, int]:
    """A line as a store keeps it: its first and last characters, `LINE_BYTES` in all (a
    traceback ends with its cause), cleaned; and how many characters were left out.

    ``tail`` and ``skipped``: the end of a line read in pieces, and how long the part between.
    """
    head, end = split_sizes(LINE_BYTES)
    whole = text + tail
    left_out = skipped + max(0, len(whole) - LINE_BYTES)
    if left_out == 0:
        return clean_line(whole), 0
    kept = whole[:head] + LEFT_OUT.format(left_out) + (text + tail)[-end:]
    return clean_line(kept), left_out


def label_requests(app: ASGIApp, label: str) -> ASGIApp:
    """Wrap an ASGI app so log records emitted while serving it carry ``label``."""

    async def labelled(scope: Scope, receive: Receive, send: Send) -> None:
        token = _origin.set(label)
        try:
            await app(scope, receive, send)
        finally:
            _origin.reset(token)

    return labelled


def window_records(window: Window[CapturedRecord], origin: str = "") -> list[CapturedRecord]:
    """A window as records, a `GAP` record standing for what it left out."""
    gap = []
    if window.gap_items:
        gap = [CapturedRecord("", GAP, origin, "", window.gap_size, window.gap_items)]
    return [*window.head, *gap, *window.tail]


class LogCapture(logging.Handler):
    """A handler that keeps formatted records in memory; install() attaches it to the root."""

    def __init__(self, loggers: Iterable[str] = API_LOGGERS) -> None:
        super().__init__(level=logging.DEBUG)
        self._loggers = tuple(loggers)
        self._kept: Kept[CapturedRecord] = Kept()
        self._saved_levels: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record (bounded, so a chatty run cannot exhaust memory)."""
        if record.name == OWN_LOGGERS or record.name.startswith(OWN_LOGGERS + "."):
            return
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        origin = _origin.get() or record.threadName or ""
        kept, left_out = captured_text(text)
        self._kept.append(CapturedRecord(record.name, record.levelname, origin, kept, left_out),
                          len(text))  # fmt: skip

    def install(self) -> LogCapture:
        """Attach to the root logger and open the API loggers down to DEBUG."""
        logging.getLogger().addHandler(self)
        for name in self._loggers:
            logger = logging.getLogger(name)
            self._saved_levels[name] = logger.level
            logger.setLevel(logging.DEBUG)
        return self

    def uninstall(self) -> None:
        """Detach and restore the loggers' levels."""
        logging.getLogger().removeHandler(self)
        for name, level in self._saved_levels.items():
            logging.getLogger(name).setLevel(level)
        self._saved_levels.clear()

    def records(self, exclude_origins: frozenset[str] = frozenset()) -> list[CapturedRecord]:
        """Every record kept so far, leaving out those from ``exclude_origins``."""
        return self.since({}, exclude_origins)

    def mark(self) -> LogMark:
        """How many records were written until now."""
        return {0: self._kept.mark()}

    def since(
        self, mark: LogMark, exclude_origins: frozenset[str] = frozenset()
    ) -> list[CapturedRecord]:
        """The records written after ``mark`` (bounded, see `Kept`), leaving out those from
        ``exclude_origins``."""
        records = window_records(self._kept.window(mark.get(0, 0)))
        return [r for r in records if r.gap or r.origin not in exclude_origins]


def shown_log(records: Sequence[CapturedRecord], redactor: Redactor) -> tuple[str, ...]:
    """A check's log lines for the report: its first and last lines (what lies between
    counted), redacted (consecutive lines of one logger and level together, so a secret spread
    over lines is found; what is left of one at a cut is masked), each line and the whole cut
    to their caps."""
    lines: list[str] = []
    for group in _groups(_first_and_last(records)):
        first = group[0]
        if first.gap:
            lines.append(gap_text(first.lines, first.left_out))
            continue
        text = redactor.redact("\n".join(r.text for r in group))
        prefix = f"{first.level} {first.logger}: "
        lines += [prefix + line for line in text.split("\n")]
    per_line = max(200, min(SHOWN_LINE, SHOWN_LOG // max(1, len(lines))))
    return tuple(redactor.shown(line, per_line) for line in lines)


def _first_and_last(records: Sequence[CapturedRecord]) -> list[CapturedRecord]:
    """The first and last records; those between (and any gaps among them) as one gap."""
    if len(records) <= LOG_HEAD_LINES + LOG_TAIL_LINES + 1:
        return list(records)
    between = records[LOG_HEAD_LINES : len(records) - LOG_TAIL_LINES]
    count = sum(r.lines if r.gap else 1 for r in between)
    size = sum(r.left_out if r.gap else len(r.text) + r.left_out for r in between)
    gap = CapturedRecord("", GAP, between[0].origin, "", size, count)
    return [*records[:LOG_HEAD_LINES], gap, *records[len(records) - LOG_TAIL_LINES :]]


def gap_text(count: int, size: int) -> str:
    """The line standing for log lines the harness left out."""
    chars = f", {size:,} characters" if size > 0 else ""
    return f"[… {count:,} line(s){chars} left out by the harness …]"


def _groups(records: Sequence[CapturedRecord]) -> list[list[CapturedRecord]]:
    groups: list[list[CapturedRecord]] = []
    for record in records:
        same = groups and not record.gap and not groups[-1][0].gap
        if same and (groups[-1][0].logger, groups[-1][0].level) == (record.logger, record.level):
            groups[-1].append(record)
        else:
            groups.append([record])
    return groups
