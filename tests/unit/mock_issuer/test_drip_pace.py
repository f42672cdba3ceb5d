"""A dripped answer keeps to its schedule on a busy event loop: late wake-ups do not add up."""

from __future__ import annotations

import asyncio

import pytest

from mock_issuer import lie_layer
from mock_issuer.lie_layer import DRIP_SECONDS, DRIP_STEP_SECONDS, Pace

LATE_S = 0.05  # each wake-up comes this late (half a step): a loop busy with other requests


def _late_pace() -> tuple[Pace, list[float]]:
    """A clock that moves only by sleeps, each ending `LATE_S` after it was due, given to the
    drip alone (nothing global is patched: other tests' threads keep the real clock)."""
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds + LATE_S

    return Pace(lambda: now[0], sleep), now


def test_a_dripped_body_lasts_its_seconds_when_every_wake_up_is_late() -> None:
    (pace, now), sent_at = _late_pace(), []

    async def send(message: dict[str, object]) -> None:
        sent_at.append(now[0])

    asyncio.run(lie_layer._drip(send, b"x" * 300, pace))  # type: ignore[arg-type]
    steps = int(DRIP_SECONDS / DRIP_STEP_SECONDS)
    assert len(sent_at) == steps
    # Without a schedule the last piece would leave at (steps - 1) * (step + late): 4.35 s.
    assert sent_at[-1] == pytest.approx(DRIP_SECONDS - DRIP_STEP_SECONDS + LATE_S, abs=0.01)


def test_a_dripped_head_keeps_its_schedule_says_the_connection_closes_then_sends_the_body() -> None:
    (pace, now), written = _late_pace(), []
    reply = lie_layer.Reply(200, b'{"active": true}')
    asyncio.run(lie_layer._drip_raw(lambda data: written.append((now[0], data)), reply, pace))
    assert written[-1][1] == b'{"active": true}'
    head = b"".join(data for _, data in written[:-1])
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and head.endswith(b"\r\n\r\n")
    # The mock closes the connection after it: a client must not send another request there.
    assert b"\r\nconnection: close\r\n" in head
    assert written[-1][0] <= DRIP_SECONDS + 2 * LATE_S
