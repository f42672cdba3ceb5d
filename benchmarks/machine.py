"""Where a run was measured: the machine, its load, and the versions of what was measured.

A benchmark number means little without them: the APIs' CPU per request depends on the HTTP
stack (uvicorn's loop and parser, the transport under httpx, RFC 7662 §2.1 calls to the issuer,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1), and on a shared 2-core machine the other
processes' load shows in every latency.
"""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

from benchmarks import wrk

PACKAGES = (
    "uvicorn",
    "uvloop",
    "httptools",
    "fastapi",
    "starlette",
    "httpx",
    "httpcore",
    "h11",
    "aiohttp",
    "httpx-aiohttp",
    "PyJWT",
    "cryptography",
)


def loadavg() -> str | None:
    """The first three fields of `/proc/loadavg` (1, 5 and 15 minutes), None without /proc."""
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return None


def cpu_model() -> str:
    """The CPU's model name from `/proc/cpuinfo`, else what `platform` says."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions() -> dict[str, str | None]:
    """The installed version of each measured package (None when it is not installed)."""
    found: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def describe() -> dict[str, object]:
    """The machine, the Python and package versions, wrk's version, and the load right now."""
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions(),
        "wrk": wrk.version(),
        "loadavg": loadavg(),
    }
