"""Python subjects started from a preloaded interpreter: the imports paid once per subject.

A subject file's ``preload`` names modules its instances share (a web framework, the app's own
module). A run starts several instances of a subject (the issuer-down twin, a cached one, one
for each discovery lie...), and a Python API spends most of its start importing. With
``preload``, the first start runs ``preload_server.py`` in the subject's interpreter, which
imports them once; each instance is then forked from it (a few milliseconds), in a session
of its own, with its own pipes, working directory and environment, and adopted by this
process (a subreaper, ``reaper.py``), so it is waited for and stopped like any other. The
standard library's ``multiprocessing`` forkserver does not fit: its children run pickled
functions of the parent's program, stay the server's children, and need the harness importable
in the subject's interpreter.

Only the plain forms ``[python, -m, module, ...]`` and ``[python, script.py, ...]`` preload,
only on Linux; anything else starts as a new process, as without ``preload``. A forked
instance's ``/proc/<pid>/environ`` is the server's, so a daemon that leaves the instance's
session is found by the server's marker (and stopped with it, at the run's end).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from harness.subjects import reaper
from harness.subjects.file import Subject
from harness.subjects.keys import python_command
from harness.subjects.placeholders import expand, harness_values, names_in
from harness.subjects.process import Launch, SubjectProcess, SubjectStartError

SERVER = Path(__file__).with_name("preload_server.py")
POLL_S = 0.01


def path0(command: Sequence[str], cwd: Path) -> str | None:
    """What ``sys.path[0]`` is for a preloadable command; None for any other command."""
    if not python_command(command):
        return None
    return str(cwd if command[1] == "-m" else (cwd / command[1]).resolve().parent)


class Adopted:
    """An instance forked by the server and adopted by this process: `Popen`'s few members."""

    def __init__(self, pid: int, stdout: IO[bytes], stderr: IO[bytes]) -> None:
        self.pid = pid
        self.stdout: IO[bytes] | None = stdout
        self.stderr: IO[bytes] | None = stderr
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The exit status (negative: the signal), or None while it runs."""
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: as Popen, taken for a clean exit
                self.returncode = 0
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit (`subprocess.TimeoutExpired` after ``timeout`` seconds)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0.0)
            time.sleep(POLL_S)
        return code


class PreloadServer:
    """One running ``preload_server.py``: the interpreter, folder and modules it preloaded."""

    def __init__(self, subject: Subject, python: str, first: str) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [python, str(SERVER), str(theirs.fileno()), first, *subject.preload]
        try:
            self.process = SubjectProcess(
                f"{subject.name}-preload", command, constant_env(subject), subject.cwd,
                pass_fds=(theirs.fileno(),),
            )  # fmt: skip
        finally:
            theirs.close()
        self._channel = ours
        self._lock = threading.Lock()

    def running(self) -> bool:
        """Whether the server still runs (a stopped run stops it with every subject)."""
        return self.process.exit_code is None and self._channel.fileno() >= 0

    def launch(
        self, command: Sequence[str], cwd: Path, env: Mapping[str, str], timeout_s: float
    ) -> Adopted:
        """Fork an instance running ``command`` (its interpreter is the server's)."""
        order = json.dumps({"argv": list(command[1:]), "env": dict(env), "cwd": str(cwd)})
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        stdin = os.open(os.devnull, os.O_RDONLY)
        try:
            with self._lock:
                self._channel.settimeout(timeout_s)  # the first answer waits for the imports
                socket.send_fds(self._channel, [order.encode()], [stdin, out_write, err_write])
                answer = self._channel.recv(64)
        except OSError:
            answer = b""
        finally:
            for fd in (stdin, out_write, err_write):
                os.close(fd)
        if not answer.isdigit() or int(answer) <= 0:
            os.close(out_read)
            os.close(err_read)
            raise self._failure(timeout_s)
        return Adopted(int(answer), os.fdopen(out_read, "rb"), os.fdopen(err_read, "rb"))

    def _failure(self, timeout_s: float) -> SubjectStartError:
        self.stop()  # the next instance starts a new server
        return SubjectStartError(
            f"subject {self.process.name.removesuffix('-preload')}: its preload server "
            f"ended or did not answer within {timeout_s:g}s (a module it preloads failed to "
            f"import?); its last output lines:\n{self.process.last_lines(str)}"
        )

    def stop(self) -> None:
        """Close the socket (the server ends) and stop it."""
        self._channel.close()
        self.process.stop()


def constant_env(subject: Subject) -> dict[str, str]:
    """The subject's ``[env]`` values that hold no placeholder: the same for every instance,
    so the server has them too (a module may read them at import)."""
    return {name: value for name, value in subject.env.items() if not names_in(value)}


class Preloading:
    """A subject's preload servers (one per interpreter and folder, started on first use), for
    one target: stopped with it."""

    def __init__(self, subject: Subject) -> None:
        self.subject = subject
        self._servers: dict[tuple[str, str], PreloadServer] = {}
        self._lock = threading.Lock()

    def launcher(self) -> Launch | None:
        """How to start the subject's instances; None for a subject that preloads nothing."""
        return self.launch if self.subject.preload else None

    def launch(self, command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Adopted | None:
        """An instance forked from the server, or None where the command cannot preload (its
        form; no subreaper, not Linux): it then starts as a new process."""
        server = self._server(command, cwd)
        if server is None:
            return None
        return server.launch(command, cwd, env, self.subject.startup_timeout)

    def start_early(self) -> None:
        """Start the server now, before the issuer is up, so its imports run meanwhile; where
        the interpreter and the module or script need no value but ``{python}``."""
        command, known = self.subject.command, harness_values()
        head = command[:3] if command[1:2] == ("-m",) else command[:2]
        if self.subject.preload and all(set(names_in(p)) <= set(known) for p in head):
            self._server([expand(p, known) for p in head], self.subject.cwd)

    def _server(self, command: Sequence[str], cwd: Path) -> PreloadServer | None:
        first = path0(command, cwd)
        if first is None or not reaper.become_subreaper():
            return None
        with self._lock:
            server = self._servers.get((command[0], first))
            if server is None or not server.running():
                if server is not None:
                    server.stop()
                server = self._servers[(command[0], first)] = PreloadServer(
                    self.subject, command[0], first
                )
            return server

    def stop(self) -> None:
        """Stop every server (instances forked from one end with it)."""
        with self._lock:
            servers, self._servers = list(self._servers.values()), {}
        for server in servers:
            server.stop()
