"""Reading an API's log on from a mark: what it wrote during one check, nothing before."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from harness.logcapture import LogCapture


@pytest.fixture
def capture() -> Iterator[LogCapture]:
    """A capture attached to the root logger for the test's duration."""
    installed = LogCapture().install()
    try:
        yield installed
    finally:
        installed.uninstall()


def test_since_a_mark_gives_only_the_records_written_after_it(capture: LogCapture) -> None:
    log = logging.getLogger("oauthkit.api")
    log.info("before the check")
    mark = capture.mark()
    log.error("during the check")
    assert [r.text for r in capture.since(mark)] == ["during the check"]
    assert [r.text for r in capture.records()][-2:] == ["before the check", "during the check"]


def test_since_leaves_out_foreign_origins(capture: LogCapture) -> None:
    mark = capture.mark()
    logging.getLogger("oauthkit.api").warning("from this thread")
    origin = capture.since(mark)[0].origin
    assert capture.since(mark, frozenset({origin})) == []
