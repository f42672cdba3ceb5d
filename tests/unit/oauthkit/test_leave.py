"""`leave`: a finished process exits at once, with its status, its output and its exit handlers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import oauthkit

REPO = Path(oauthkit.__file__).resolve().parent.parent

PROGRAM = textwrap.dedent(
    """
    import atexit, threading, time
    from oauthkit.commands import leave

    atexit.register(lambda: print("handler ran", flush=True))
    threading.Thread(target=lambda: (time.sleep(0.2), print("thread ended"))).start()
    print("unflushed output", end="")
    leave(3)
    print("never printed")
    """
)


def test_leave_exits_with_its_status_after_the_threads_the_output_and_the_exit_handlers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=REPO, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout.split("\n") == ["unflushed outputthread ended", "handler ran", ""]
