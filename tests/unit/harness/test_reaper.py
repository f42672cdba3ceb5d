"""The process table a subject's processes are found in: parsed from /proc, walked by parent."""

from __future__ import annotations

import os
import sys

import pytest

from harness.subjects.reaper import ProcessEntry, process_table, tree

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _entry(pid: int, ppid: int, sid: int = 1, zombie: bool = False) -> ProcessEntry:
    return ProcessEntry(pid, ppid, pid, sid, zombie)


def test_this_process_is_in_the_table_with_its_parent_and_session() -> None:
    mine = {p.pid: p for p in process_table()}[os.getpid()]
    assert mine.ppid == os.getppid()
    assert mine.sid == os.getsid(0) and mine.pgid == os.getpgid(0)
    assert not mine.zombie


def test_a_tree_is_its_roots_and_every_descendant_however_deep() -> None:
    table = [_entry(10, 1), _entry(11, 10), _entry(12, 11), _entry(13, 12), _entry(20, 1),
             _entry(21, 20)]  # fmt: skip
    assert tree(table, lambda p: p.pid == 11) == {11, 12, 13}
    assert tree(table, lambda p: p.pid in (10, 20)) == {10, 11, 12, 13, 20, 21}


def test_a_tree_of_no_root_is_empty() -> None:
    assert tree([_entry(10, 1), _entry(11, 10)], lambda p: False) == set()
