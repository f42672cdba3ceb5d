"""Fault switches: set, replace, remove, clear, and refusal of meaningless faults."""

from __future__ import annotations

import threading

import pytest

from mock_issuer import MockIssuer
from mock_issuer.faults import FaultKind, Faults


def test_a_fault_for_one_endpoint_does_not_touch_the_others() -> None:
    faults = Faults()
    faults.set(FaultKind.SERVER_ERROR, endpoint="introspect", status=502)
    assert [f.status for f in faults.for_endpoint("introspect")] == [502]
    assert faults.for_endpoint("token") == []


def test_a_fault_without_endpoint_applies_everywhere() -> None:
    faults = Faults()
    faults.set(FaultKind.LATENCY, seconds=0.1)
    assert faults.for_endpoint("token") and faults.for_endpoint(None)


def test_setting_the_same_fault_again_replaces_it() -> None:
    faults = Faults()
    faults.set(FaultKind.LATENCY, seconds=1, endpoint="token")
    faults.set(FaultKind.LATENCY, seconds=2, endpoint="token")
    assert [f.seconds for f in faults.for_endpoint("token")] == [2]


def test_a_fault_kept_beside_its_twin_is_on_until_each_is_removed() -> None:
    faults = Faults()
    first = faults.set(FaultKind.SERVER_ERROR, endpoint="keys", replace=False)
    second = faults.set(FaultKind.SERVER_ERROR, endpoint="keys", replace=False)
    faults.remove(second)
    assert faults.for_endpoint("keys") == [first]
    faults.remove(first)
    assert faults.for_endpoint("keys") == []


def test_overlapping_blocks_of_one_fault_hold_it_until_the_last_ends() -> None:
    # One check's variants each hold the JWKS endpoint down (lanes run them together): the
    # first to end must not bring it back under the others, which would hand the API a key.
    issuer = MockIssuer()
    with issuer.fault(FaultKind.SERVER_ERROR, endpoint="keys"):
        with issuer.fault(FaultKind.SERVER_ERROR, endpoint="keys"):
            pass
        assert [f.status for f in issuer.faults.for_endpoint("keys")] == [503]
    assert issuer.faults.for_endpoint("keys") == []


def test_remove_and_clear_switch_faults_off() -> None:
    faults = Faults()
    kept = faults.set(FaultKind.MALFORMED_JSON, endpoint="token")
    gone = faults.set(FaultKind.DROP_CONNECTION, endpoint="token")
    faults.remove(gone)
    assert faults.for_endpoint("token") == [kept]
    faults.clear()
    assert faults.for_endpoint("token") == []


def test_reject_client_names_one_app_and_is_not_a_request_fault() -> None:
    faults = Faults()
    faults.set(FaultKind.REJECT_CLIENT, client_id="c1")
    assert faults.rejects("c1") and not faults.rejects("c2")
    assert faults.for_endpoint("introspect") == []


def test_a_fault_scoped_to_a_token_applies_to_that_token_only() -> None:
    faults = Faults()
    faults.set(FaultKind.LATENCY, endpoint="introspect", seconds=1, token="t1")
    faults.set(FaultKind.REJECT_CLIENT, client_id="c1", token="t1")
    assert faults.scoped("introspect") and faults.for_endpoint("introspect", "t1")
    assert faults.for_endpoint("introspect", "t2") == [] == faults.for_endpoint("introspect")
    assert faults.rejects("c1", "t1") and not faults.rejects("c1", "t2")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"kind": FaultKind.LATENCY, "endpoint": "nope"}, "Unknown endpoint"),
        pytest.param({"kind": FaultKind.REJECT_CLIENT}, "needs client_id"),
        pytest.param({"kind": FaultKind.SERVER_ERROR, "status": 404}, "5xx"),
    ],
)
def test_meaningless_faults_are_refused_with_what_to_pass(
    kwargs: dict[str, object], message: str
) -> None:
    kind = kwargs.pop("kind")
    with pytest.raises(ValueError, match=message):
        Faults().set(kind, **kwargs)  # type: ignore[arg-type]


def test_a_fault_for_every_request_settles_once_the_requests_before_it_are_answered() -> None:
    # A request past the fault layer before the fault was set could otherwise read a key the
    # fault's holder publishes afterwards (the JWKS-down check: a key the API must not see).
    faults = Faults()
    answering, answered = threading.Event(), threading.Event()

    def request() -> None:
        with faults.passing("keys"):
            answering.set()
            answered.wait(5)

    before = threading.Thread(target=request)
    before.start()
    assert answering.wait(5)
    faults.set(FaultKind.SERVER_ERROR, endpoint="keys")
    assert not faults.settled("keys", 0.05) and not faults.settled(None, 0.05)
    assert faults.settled("introspect", 0.05)  # nothing there is being answered
    answered.set()
    assert faults.settled("keys", 5)
    before.join()
