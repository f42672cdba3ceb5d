"""Entry point of ``python -m harness`` (see ``harness.cli``).

A stop signal while the harness is still loading (before ``harness.cli`` handles signals) ends
it with one line and 128 + the signal's number, not a traceback of the imports.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


def _stopped_while_loading(signum: int, frame: FrameType | None) -> None:
    name = signal.Signals(signum).name
    print(f"harness: stopped by {name} while starting; nothing ran", file=sys.stderr)
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    for _signal in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(_signal, _stopped_while_loading)
    from harness.cli import command

    command()
