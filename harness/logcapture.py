"""Capturing the sample APIs' log records, so a check can prove no secret is logged.

RFC 6750 §5.3 asks that bearer tokens not leak; logs are the usual leak (the public examples
print tokens and introspection payloads). The handler keeps every record of the process with
its *origin*: the label of the API whose request was being served (set by `label_requests`),
or else the emitting thread's name. Records of the harness and the mock issuer themselves
(loggers under ``harness.``) are not kept: they are not the API's.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

# The samples and the library they share; their records are kept down to DEBUG.
API_LOGGERS = ("api_jwt", "api_basic_auth", "oauthkit")
OWN_LOGGERS = "harness"
MAX_RECORDS = 50_000
_origin: contextvars.ContextVar[str] = contextvars.ContextVar("harness_log_origin", default="")


# How many records each source (a process, a capture) had written: a point to read on from.
LogMark = Mapping[int, int]


@dataclass(frozen=True)
class CapturedRecord:
    """One log record, formatted (arguments merged, exception text appended)."""

    logger: str
    level: str
    origin: str
    text: str


def label_requests(app: ASGIApp, label: str) -> ASGIApp:
    """Wrap an ASGI app so log records emitted while serving it carry ``label``."""

    async def labelled(scope: Scope, receive: Receive, send: Send) -> None:
        token = _origin.set(label)
        try:
            await app(scope, receive, send)
        finally:
            _origin.reset(token)

    return labelled


class LogCapture(logging.Handler):
    """A handler that keeps formatted records in memory; install() attaches it to the root."""

    def __init__(self, loggers: Iterable[str] = API_LOGGERS) -> None:
        super().__init__(level=logging.DEBUG)
        self._loggers = tuple(loggers)
        self._records: list[CapturedRecord] = []
        self._guard = threading.Lock()
        self._saved_levels: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record (bounded, so a chatty run cannot exhaust memory)."""
        if record.name == OWN_LOGGERS or record.name.startswith(OWN_LOGGERS + "."):
            return
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        origin = _origin.get() or record.threadName or ""
        captured = CapturedRecord(record.name, record.levelname, origin, text)
        with self._guard:
            if len(self._records) < MAX_RECORDS:
                self._records.append(captured)

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
        """How many records are kept now."""
        with self._guard:
            return {0: len(self._records)}

    def since(
        self, mark: LogMark, exclude_origins: frozenset[str] = frozenset()
    ) -> list[CapturedRecord]:
        """The records kept after ``mark``, leaving out those from ``exclude_origins``."""
        with self._guard:
            records = self._records[mark.get(0, 0) :]
        return [r for r in records if r.origin not in exclude_origins]
