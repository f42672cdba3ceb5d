"""The mock's record of introspection requests stays bounded under load, positions stay valid."""

from __future__ import annotations

from mock_issuer.records import IntrospectionLog, IntrospectionRecord


def record(at: float) -> IntrospectionRecord:
    return IntrospectionRecord(at=at, methods=("client_secret_basic",), client_id="api")


def test_records_since_a_position_are_those_added_after_it() -> None:
    log = IntrospectionLog()
    log.add(record(1))
    mark = len(log)
    log.add(record(2))
    log.add(record(3))
    assert [r.at for r in log.since(mark)] == [2, 3]
    assert len(log) == 3


def test_past_its_limit_the_log_forgets_the_oldest_but_keeps_counting() -> None:
    log = IntrospectionLog(limit=3)
    for at in range(10):
        log.add(record(at))
    assert len(log) == 10
    assert [r.at for r in log.since(0)] == [7, 8, 9]
    assert [r.at for r in log.since(8)] == [8, 9]
    assert log.since(10) == []
