"""How a run ends: stopped by a signal, or done, it leaves no process, no key file, no traceback.

The subject is `forking_api.py`, which forks a child that stays in its process group and a
daemon that leaves it (``setsid``). Every process of a run carries the test's marker in its
environment, so the test finds them all, the daemons included, whoever their parent is now.
Each run has its own ``TMPDIR``, so "nothing left in the temporary folder" is exact.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.checks import check_by_id
from harness.model.matrix import cell_by_number
from harness.run.runner import Plan, RunNotStarted, run_matrix
from harness.subjects import reaper
from harness.subjects.file import load_subject
from harness.targets.spec import TargetSpec

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[3]
FORKING_API = Path(__file__).with_name("forking_api.py")
CHECKS = "ROUTE-public-without-token,RFC6750-3.1-no-credentials,RFC6750-2.1-valid-token"
# Bounds, not measurements: how long a loaded machine may take to reach the point where the
# run is stopped, how long the stopped run may take to exit (issue 19), and to be empty.
READY_S = 90.0
EXIT_S = 5.0
GONE_S = 10.0
MAX_STDERR_LINES = 10


@dataclass(frozen=True)
class Folders:
    """One run's places: its temporary folder, the pid files, the report; and its marker."""

    root: Path
    mark: str

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def pids(self) -> Path:
        return self.root / "pids"

    @property
    def report(self) -> Path:
        return self.root / "report" / "matrix.html"

    @classmethod
    def make(cls, root: Path) -> Folders:
        folders = cls(root, f"run-{uuid.uuid4().hex}")
        for folder in (folders.tmp, folders.pids):
            folder.mkdir()
        return folders


def subject_file(folders: Folders, name: str, preload: bool = False, **env: str) -> Path:
    """A subject file for `forking_api.py` (private_key_jwt: a key file is written for it);
    ``preload``: its instances forked from a preload server (``harness/subjects/preload.py``)."""
    values = {
        "PID_DIR": str(folders.pids),
        "NAME": name,
        "RUN_MARK": folders.mark,
        "KEY_FILE": "{api_key_file}",
        "ENV_FILE": "{env_file}",
        **env,
    }
    lines = [
        f"name = {json.dumps(name)}",
        'mechanism = "private_key_jwt"',
        f'command = ["{{python}}", {json.dumps(str(FORKING_API))}, "{{port}}"]',
        "startup_timeout = 60",
        *(['preload = ["http.server"]'] if preload else []),
        "[env]",
        *(f"{key} = {json.dumps(value)}" for key, value in values.items()),
    ]
    path = folders.root / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def marked(mark: str) -> list[int]:
    """Live processes whose environment carries ``RUN_MARK=<mark>`` (zombies have none)."""
    wanted = f"RUN_MARK={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if wanted in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout_s:g}s for {what}")
        time.sleep(0.05)


def start_run(folders: Folders, *options: str, preload: bool = False) -> subprocess.Popen[bytes]:
    """``python -m harness`` on a passing subject and one that hangs, in its own session."""
    passing = subject_file(folders, "fork-a", preload)
    hanging = subject_file(folders, "fork-b", preload, HANG="1")
    env = {**os.environ, "TMPDIR": str(folders.tmp), "RUN_MARK": folders.mark}
    command = [sys.executable, "-m", "harness", *options, "--cells", "1,3,5",
               "--checks", CHECKS, "--subject", str(passing), "--subject", str(hanging),
               "--report", str(folders.report)]  # fmt: skip
    with (folders.root / "stdout").open("wb") as out, (folders.root / "stderr").open("wb") as err:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=err,
                                start_new_session=True)  # fmt: skip


def stop_point(folders: Folders) -> bool:
    """fork-a's cells are done, fork-b hangs on a request, and all four daemons run."""
    stdout = (folders.root / "stdout").read_text(encoding="utf-8", errors="replace")
    daemons = len(list(folders.pids.glob("*.pid")))
    hanging = (folders.pids / "fork-b-hanging").exists()
    return "fork-a: cell 5" in stdout and hanging and daemons == 4


@pytest.fixture
def folders(tmp_path: Path) -> Iterator[Folders]:
    """The run's folders; whatever of the run a failed test leaves is killed afterwards."""
    made = Folders.make(tmp_path)
    yield made
    for pid in marked(made.mark):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def assert_ended_cleanly(folders: Folders, run: subprocess.Popen[bytes], sig: int) -> None:
    try:
        status = run.wait(timeout=EXIT_S)
    except subprocess.TimeoutExpired:
        run.kill()
        run.wait()
        raise
    assert status == 128 + sig
    wait_for(lambda: not marked(folders.mark), "every process of the run to end", GONE_S)
    assert sorted(folders.tmp.rglob("*")) == []
    stderr = (folders.root / "stderr").read_text(encoding="utf-8").splitlines()
    assert len(stderr) <= MAX_STDERR_LINES and "Traceback" not in "\n".join(stderr)
    assert f"stopped by {signal.Signals(sig).name}" in stderr[-1]
    report = json.loads(folders.report.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["verdict"] == "INCOMPLETE"
    assert any(f"stopped by {signal.Signals(sig).name}" in p for p in report["info"]["problems"])
    ran = [r for r in report["results"] if r["subject"] == "fork-a"]
    assert {r["cell"] for r in ran} == {1, 3, 5} and {r["status"] for r in ran} == {"passed"}


@pytest.mark.parametrize(
    ("to_group", "sig", "workers", "preload"),
    [(True, signal.SIGTERM, "2", False), (False, signal.SIGINT, "2", False),
     (False, signal.SIGTERM, "1", False), (True, signal.SIGTERM, "2", True)],
    ids=["SIGTERM-to-the-group", "SIGINT-to-the-main-process", "SIGTERM-without-workers",
         "SIGTERM-to-the-group-preloaded"],
)  # fmt: skip
def test_a_stopped_run_ends_every_process_removes_its_keys_and_reports_what_ran(
    folders: Folders, to_group: bool, sig: int, workers: str, preload: bool
) -> None:
    run = start_run(folders, "-n", workers, preload=preload)
    try:
        wait_for(lambda: stop_point(folders) or run.poll() is not None, "the stop point", READY_S)
    except AssertionError:
        run.kill()
        raise
    assert run.poll() is None, (folders.root / "stderr").read_text()
    (os.killpg if to_group else os.kill)(run.pid, sig)
    assert_ended_cleanly(folders, run, sig)


def _kill_worker_of(folders: Folders, name: str, run: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the run's worker that started subject ``name`` (its process's parent)."""
    parents, subject = {p.pid: p.ppid for p in reaper.process_table()}, f"NAME={name}".encode()
    for pid in marked(folders.mark):
        worker = parents.get(pid)
        if worker and parents.get(worker) == run.pid and reaper.carries(pid, subject):
            os.kill(worker, signal.SIGKILL)
            return
    raise AssertionError(f"no worker started {name}")


def test_a_worker_killed_before_it_cleaned_up_leaves_no_key_file(folders: Folders) -> None:
    # A worker that overruns its stop grace is killed by the main process (SIGKILL), with no
    # time to remove its temporary folders: the folder they are in is the main process's.
    run = start_run(folders, "-n", "2")
    try:
        wait_for(lambda: stop_point(folders) or run.poll() is not None, "the stop point", READY_S)
        assert any(folders.tmp.rglob("*.json")), "no key file to leave behind"
        _kill_worker_of(folders, "fork-b", run)
        os.kill(run.pid, signal.SIGTERM)
        status = run.wait(timeout=EXIT_S)
    finally:
        run.kill()
        run.wait()
    assert status == 128 + signal.SIGTERM
    wait_for(lambda: not marked(folders.mark), "every process of the run to end", GONE_S)
    assert sorted(folders.tmp.rglob("*")) == []


def test_a_worker_killed_mid_run_is_a_problem_of_the_run_that_ends_without_waiting(
    folders: Folders,
) -> None:
    run = start_run(folders, "-n", "2")
    try:
        wait_for(lambda: stop_point(folders) or run.poll() is not None, "the stop point", READY_S)
        _kill_worker_of(folders, "fork-b", run)
        status = run.wait(timeout=GONE_S)  # not the 600 s a silent worker is given
    finally:
        run.kill()
        run.wait()
    out = (folders.root / "stdout").read_text(encoding="utf-8")
    assert status == 3 and "a worker was killed by SIGKILL before it finished" in out, out
    wait_for(lambda: not marked(folders.mark), "every process of the run to end", GONE_S)
    assert sorted(folders.tmp.rglob("*")) == []
    report = json.loads(folders.report.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["verdict"] == "INCOMPLETE"
    assert {r["subject"] for r in report["results"]} == {"fork-a"}


def test_a_run_stopped_while_its_workers_start_ends_with_one_line_and_nothing_left(
    folders: Folders,
) -> None:
    run = start_run(folders, "-n", "2")
    stdout = folders.root / "stdout"
    wait_for(lambda: "Running" in stdout.read_text() or run.poll() is not None, "start", READY_S)
    os.killpg(run.pid, signal.SIGINT)  # a Ctrl-C: the workers are being born or just are
    try:
        status = run.wait(timeout=EXIT_S)
    except subprocess.TimeoutExpired:
        run.kill()
        raise
    assert status == 128 + signal.SIGINT
    wait_for(lambda: not marked(folders.mark), "every process of the run to end", GONE_S)
    assert sorted(folders.tmp.rglob("*")) == []
    stderr = (folders.root / "stderr").read_text(encoding="utf-8").splitlines()
    assert len(stderr) == 1 and "stopped by SIGINT" in stderr[0]


def _run_here(path: Path) -> None:
    checks = (check_by_id("ROUTE-public-without-token"),)
    plan = Plan(TargetSpec(), (cell_by_number(1),), checks, (), subjects=(load_subject(path),))
    run_matrix(plan, workers=1)


@pytest.mark.parametrize("preload", [False, True], ids=["started", "preloaded"])
def test_a_subject_s_daemons_end_with_it_in_its_group_or_not(
    folders: Folders, preload: bool
) -> None:
    _run_here(subject_file(folders, "fork-a", preload))
    assert len(list(folders.pids.glob("*.pid"))) == 2  # both were forked
    wait_for(lambda: not marked(folders.mark), "the daemons to end", GONE_S)


@pytest.mark.parametrize("preload", [False, True], ids=["started", "preloaded"])
def test_a_subject_that_exits_before_it_is_ready_leaves_no_child_behind(
    folders: Folders, preload: bool
) -> None:
    with pytest.raises(RunNotStarted, match="exited with status 4 before it was ready"):
        _run_here(subject_file(folders, "fork-a", preload, EXIT_EARLY="1"))
    assert len(list(folders.pids.glob("*.pid"))) == 2  # both were forked before it exited
    wait_for(lambda: not marked(folders.mark), "its children to end", GONE_S)


def test_a_pytest_session_stopped_by_sigterm_stops_its_subjects_and_removes_their_keys(
    folders: Folders,
) -> None:
    passing = subject_file(folders, "fork-a")
    hanging = subject_file(folders, "fork-b", HANG="1")
    env = {**os.environ, "TMPDIR": str(folders.tmp), "RUN_MARK": folders.mark}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "tests/matrix/test_matrix.py", "--cells", "1,3,5", "--checks", CHECKS,
               "--subject", str(passing), "--subject", str(hanging),
               "--report", str(folders.report)]  # fmt: skip
    with (folders.root / "stdout").open("wb") as out:
        run = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        hangs = folders.pids / "fork-b-hanging"
        wait_for(lambda: hangs.exists() or run.poll() is not None, "fork-b to hang", READY_S)
        run.send_signal(signal.SIGTERM)
        status = run.wait(timeout=GONE_S)
    finally:
        run.kill()
        run.wait()
    assert status == pytest.ExitCode.INTERRUPTED, (folders.root / "stdout").read_text()
    wait_for(lambda: not marked(folders.mark), "every subject process to end", GONE_S)
    assert [p for p in folders.tmp.rglob("*") if p.is_file()] == []
    report = json.loads(folders.report.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["verdict"] == "INCOMPLETE"
