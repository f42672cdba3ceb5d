"""The process a preloading subject's instances are forked from (run by path, standard library
only: it runs in the subject's own interpreter, which need not have the harness installed).

``python preload_server.py FD PATH0 MODULE...`` puts ``PATH0`` first on ``sys.path`` (where
``python -m`` or a script would have it), imports each ``MODULE`` once, then serves the harness
on the Unix socket ``FD``: each message is one instance to start, as JSON (``argv``: the
command after the interpreter; ``env``; ``cwd``) with its stdin, stdout and stderr attached
(SCM_RIGHTS). It forks a child that forks the instance and exits at once, so the instance is
orphaned and adopted by the harness, the nearest subreaper (Linux ``PR_SET_CHILD_SUBREAPER``),
which can then wait for it as for any child; the answer, sent once that child is reaped, is
the instance's pid. The instance starts a session of its own, takes its descriptors, working
directory and environment, and runs its module (``-m``) or script as ``__main__``, as a new
interpreter would, less the imports. The server ends when the harness closes the socket.
"""

from __future__ import annotations

import importlib
import json
import os
import runpy
import socket
import sys
from typing import Any

MESSAGE_BYTES = 1 << 20
STDIO = 3  # stdin, stdout, stderr


def main(argv: list[str]) -> int:
    """Preload, serve, and in each forked instance, run it; its exit status is the instance's."""
    channel = socket.socket(fileno=int(argv[1]))
    sys.path[0] = argv[2]
    for name in argv[3:]:
        importlib.import_module(name)
    order = _serve(channel)
    if order is None:
        return 0
    _run(*order)
    return 0


def _serve(channel: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    """Start instances until the socket closes (None); in an instance, its order and fds."""
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(channel, MESSAGE_BYTES, STDIO)
        except OSError:
            return None
        if not data:
            return None
        told, tell = os.pipe()
        if os.fork() == 0:  # the go-between: it forks the instance and leaves it orphaned
            os.close(told)
            pid = os.fork()
            if pid == 0:
                os.close(tell)
                channel.close()
                return json.loads(data), fds
            os.write(tell, str(pid).encode())
            os._exit(0)
        os.close(tell)
        os.wait()  # the go-between has exited: the instance is the harness's child now
        with os.fdopen(told, "rb") as answer:
            pid_text = answer.read()
        for fd in fds:
            os.close(fd)
        channel.sendall(pid_text or b"0")


def _run(order: dict[str, Any], fds: list[int]) -> None:
    os.setsid()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(order["cwd"])
    os.environ.clear()
    os.environ.update(order["env"])
    argv: list[str] = order["argv"]
    if argv[0] == "-m":
        sys.argv = ["-m", *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(argv)
        runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
