"""`python -m benchmarks.api_server APP --env-file PATH`: one sample API in a process of its own.

The benchmark runs each API apart from the load driver and the mock issuer, so the API has a
core and an interpreter lock to itself and its peak RSS is its own. The app is the sample's own
`create_app`, configured from the `.env` the mock issuer writes, and served by uvicorn with the
choices `python -m api_jwt` makes (`oauthkit.fastapi.serve`): uvicorn's automatic event loop
and HTTP parser (uvloop and httptools when installed), lifespan on. Only the access log is
off, as at `--log-level warning`. It checks tokens by RFC 7662 introspection
(https://www.rfc-editor.org/rfc/rfc7662#section-2.1).

Protocol on the pipes: once serving, one JSON line `{"url": ...}` on stdout; each line `usage`
on stdin is answered with `{"cpu_s": S, "peak_rss_kib": N}`; end of input stops the server
and the process.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import json
import logging
import os
import pstats
import resource
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import uvicorn

from benchmarks.scenarios import SERVED_APIS
from oauthkit import ConfigError, EnvSource


def usage() -> dict[str, float | int]:
    """This process's CPU seconds (user + system) and peak resident set size (KiB) so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": own.ru_utime + own.ru_stime, "peak_rss_kib": _peak_rss_kib(own)}


def _peak_rss_kib(own: resource.struct_rusage) -> int:
    # Linux's ru_maxrss survives exec: a child spawned by a 300 MiB parent reports 300 MiB.
    # VmHWM is the peak of this program's own memory map.
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    # macOS reports ru_maxrss in bytes, other systems in KiB.
    return own.ru_maxrss // 1024 if sys.platform == "darwin" else own.ru_maxrss


def server_for(app_name: str, env_file: Path) -> uvicorn.Server:
    """A server (not started) for the sample `app_name`, set up by `env_file` and environment."""
    sample: Any = importlib.import_module(f"{app_name}.app")
    settings = sample.load_settings(EnvSource.load(env_file, os.environ, required=True))
    config = uvicorn.Config(
        sample.create_app(settings), lifespan="on", log_level="warning", access_log=False
    )
    return uvicorn.Server(config)


def answer(stdin: Any, stdout: Any) -> None:
    """Answer `usage` requests until the end of input."""
    for line in stdin:
        if line.strip() == "usage":
            print(json.dumps(usage()), file=stdout, flush=True)


def main(argv: Sequence[str]) -> int:
    """Serve until stdin closes; exit status 2 on a configuration error."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.api_server")
    parser.add_argument("app", choices=SERVED_APIS)
    parser.add_argument("--env-file", type=Path, required=True)
    parser.add_argument("--profile", type=Path, help="write a cProfile summary here at exit")
    args = parser.parse_args(argv)
    # Refusals log at INFO; only issuer trouble (ERROR) reaches the log file.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        server = server_for(args.app, args.env_file)
    except ConfigError as exc:
        print(f"benchmarks.api_server: configuration error: {exc}", file=sys.stderr)
        return 2
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    threading.Thread(target=_control, args=(server, port), daemon=True).start()
    if args.profile is None:
        server.run(sockets=[listener])
    else:
        _profiled(lambda: server.run(sockets=[listener]), args.profile)
    return 0


def _profiled(serve: Callable[[], None], output: Path) -> None:
    # cProfile traces the main thread (the event loop) while it serves: where the API's CPU
    # goes per request, by function. Timed by the thread's CPU clock, not the wall clock, so
    # time spent preempted on a busy machine is not charged to the function that was running.
    # Tracing slows every call, so compare shares, not times.
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    try:
        serve()
    finally:
        profiler.disable()
        report = io.StringIO()
        stats = pstats.Stats(profiler, stream=report).strip_dirs()
        stats.sort_stats("tottime").print_stats(45)
        stats.sort_stats("cumulative").print_stats(60)
        output.write_text(report.getvalue(), encoding="utf-8")
        profiler.dump_stats(output.with_suffix(".prof"))  # for pstats / snakeviz


def _control(server: uvicorn.Server, port: int) -> None:
    # The server runs in the main thread, as under `python -m api_jwt`; this thread reports
    # the URL once it serves, answers `usage`, and stops it at the end of input.
    while not server.started:
        if server.should_exit:
            return
        time.sleep(0.01)
    print(json.dumps({"url": f"http://127.0.0.1:{port}"}), flush=True)
    answer(sys.stdin, sys.stdout)
    server.should_exit = True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
