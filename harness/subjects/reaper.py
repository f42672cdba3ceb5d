"""Finding and ending every process a subject started, even those that left its process group.

A subject is started in a session of its own, so its process group and session hold what it
forks. A daemon leaves both (``setsid``, the double fork) and, once its parent exits, becomes
the child of the nearest *subreaper*: this process marks itself one (Linux
``prctl(PR_SET_CHILD_SUBREAPER)``, as init systems and container runtimes do), so such orphans
stay within reach instead of moving to init. Each subject also carries a marker in its
environment (`MARKER`), which its descendants inherit; a process is the subject's when it is in
the subject's session, carries its marker, or descends from one that does. Linux only (the
``/proc`` table); elsewhere only the process group is stopped.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

MARKER = "HARNESS_SUBJECT_ID"
PR_SET_CHILD_SUBREAPER = 36
PROC = Path("/proc")
# Killing a tree races with its last forks; a few rounds catch the late ones.
KILL_ROUNDS = 3
REAP_S = 1.0
REAP_POLL_S = 0.01
_subreaper: list[bool] = []


def become_subreaper() -> bool:
    """Make this process the subreaper of its descendants (once); True when it is one."""
    if not _subreaper:
        _subreaper.append(_prctl_subreaper())
    return _subreaper[0]


def _prctl_subreaper() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


@dataclass(frozen=True)
class ProcessEntry:
    """One line of the process table: ids, and whether it is a zombie."""

    pid: int
    ppid: int
    pgid: int
    sid: int
    zombie: bool


def process_table() -> list[ProcessEntry]:
    """Every process this one can see (empty where there is no ``/proc``)."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(PROC):
            if entry.name.isdigit():
                parsed = _stat(int(entry.name))
                if parsed is not None:
                    found.append(parsed)
    return found


def _stat(pid: int) -> ProcessEntry | None:
    try:  # os.open and bytes: this runs for every process, at every stop
        fd = os.open(f"/proc/{pid}/stat", os.O_RDONLY)
        try:
            raw = os.read(fd, 4096)
        finally:
            os.close(fd)
    except OSError:  # gone, or not ours to read
        return None
    # The command name (field 2) may hold spaces and parentheses: fields follow the last ')'.
    fields = raw[raw.rfind(b")") + 2 :].split()
    state, ppid, pgid, sid = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    return ProcessEntry(pid, ppid, pgid, sid, state in (b"Z", b"X"))


def carries(pid: int, marker: bytes) -> bool:
    """True when the process's initial environment holds ``marker`` (``NAME=value``)."""
    try:
        environ = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return False
    return marker in environ.split(b"\0")


def tree(table: Iterable[ProcessEntry], roots: Callable[[ProcessEntry], bool]) -> set[int]:
    """The pids matching ``roots`` and every descendant of theirs (by parent pid)."""
    table = list(table)
    found = {p.pid for p in table if roots(p)}
    grew = True
    while grew:
        more = {p.pid for p in table if p.ppid in found and p.pid not in found}
        found |= more
        grew = bool(more)
    return found


def subject_tree(sid: int, marker: bytes) -> set[int]:
    """The subject's processes: its session, the orphans with its marker, their descendants.

    A daemon that left the session is an orphan once its parent exits, adopted by this process
    (the subreaper) or, without one, by init; only those are read for the marker.
    """
    me = os.getpid()

    def root(p: ProcessEntry) -> bool:
        orphan = p.ppid in (me, 1) and not p.zombie
        return p.pid != me and (p.sid == sid or (orphan and carries(p.pid, marker)))

    return tree(process_table(), root)


def children() -> set[int]:
    """The pids of this process's children."""
    me = os.getpid()
    return {p.pid for p in process_table() if p.ppid == me}


def strays(owned: Collection[int] = ()) -> set[int]:
    """Children of this process in other sessions (subjects, or orphans it adopted as a
    subreaper), not in ``owned``, and their descendants."""
    me, session = os.getpid(), os.getsid(0)
    return tree(process_table(), lambda p: p.ppid == me and p.sid != session and p.pid not in owned)


def kill_all(find: Callable[[], set[int]], keep: Collection[int] = ()) -> int:
    """SIGKILL what ``find`` returns until nothing is left; reap the killed that were this
    process's children (except ``keep``, which their owners reap). How many were killed."""
    killed: set[int] = set()
    for _ in range(KILL_ROUNDS):
        found = find() - killed
        if not found:
            break
        for pid in found:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        killed |= found
    reap(killed - set(keep))
    return len(killed)


def signal_all(pids: Iterable[int], sig: signal.Signals) -> None:
    """Send ``sig`` to each pid that still exists."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def reap(pids: Iterable[int], within_s: float = REAP_S) -> None:
    """Collect the exit of those of ``pids`` that are this process's children (killed ones
    end at once; one that does not within ``within_s`` is left)."""
    waiting = set(pids)
    deadline = time.monotonic() + within_s
    while waiting and time.monotonic() < deadline:
        for pid in list(waiting):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # not a child of ours: its own parent reaps it
                done = pid
            if done:
                waiting.discard(pid)
        if waiting:
            time.sleep(REAP_POLL_S)
