"""Load from `wrk` (a C load generator, a process of its own), with a Lua script per run.

The script builds every request once, in `init` (one per token of the pool, RFC 6750 §2.1
bearer requests or RFC 7662 §2.1 introspection posts,
https://www.rfc-editor.org/rfc/rfc7662#section-2.1), hands them out in turn, and prints one
JSON line at the end: wrk's own summary (requests, duration, errors by kind, non-2xx/3xx
answers) and latency percentiles. wrk counts answers by class, not by status: the sample
reports `2xx` (2xx and 3xx) and `non-2xx`. No `response()` callback, which would cost wrk
a Lua call per answer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.load import LoadSample
from benchmarks.scenarios import Load
from benchmarks.stats import LatencySummary
from benchmarks.target import Target, checked_tokens

MARK = "BENCHMARK-JSON "
THREADS = 2
TIMEOUT_S = 30
_ERRORS = ("connect", "read", "write", "timeout")

_SCRIPT = """\
local tokens = {%(tokens)s}
local method, path, token_in = "%(method)s", "%(path)s", "%(token_in)s"
local requests, turn, threads = {}, 0, 0

function setup(thread)
  threads = threads + 1
  thread:set("offset", threads - 1)
end

function init(args)
  -- Each thread sends its own share of the tokens: two threads never send one token at once,
  -- which the API would coalesce into one introspection.
  for i, token in ipairs(tokens) do
    if #tokens < %(threads)d or (i - 1) %% %(threads)d == (offset or 0) then
      local headers, body = {%(headers)s}, nil
      if token_in == "bearer" then
        headers["Authorization"] = "Bearer " .. token
      else
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = "token=" .. token
      end
      requests[#requests + 1] = wrk.format(method, path, headers, body)
    end
  end
end

function request()
  turn = turn %% #requests + 1
  return requests[turn]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "timeout": %%d, "status": %%d, "p50_us": %%.1f, "p95_us": %%.1f, ' ..
    '"p99_us": %%.1f, "mean_us": %%.1f, "max_us": %%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean,
    latency.max))
end
"""


def available() -> bool:
    """Whether `wrk` is on the PATH."""
    return shutil.which("wrk") is not None


def version() -> str | None:
    """wrk's version line, or None when it is not installed."""
    if not available():
        return None
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk (unknown version)"


def script(target: Target, tokens: list[str]) -> str:
    """The Lua script that sends `target` requests with `tokens` in turn."""
    headers = ", ".join(f'["{k}"] = "{v}"' for k, v in _plain(target.headers).items())
    return _SCRIPT % {
        "tokens": ", ".join(f'"{t}"' for t in checked_tokens(tokens)),
        "method": target.method,
        "path": target.path,
        "token_in": target.token_in,
        "headers": headers,
        "mark": MARK,
        "threads": THREADS,
    }


def command(target: Target, load: Load, script_file: Path) -> list[str]:
    """The wrk command line for `load` (it runs for a duration, never a request count)."""
    if load.duration is None:
        raise ValueError("wrk runs for a duration: give --duration, or use --load python.")
    connections = max(load.concurrency, THREADS)
    return [
        "wrk",
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{load.duration:g}s",
        f"--timeout={TIMEOUT_S}s",
        "-s",
        str(script_file),
        target.base_url + target.path,
    ]


def parse(output: str) -> LoadSample:
    """The sample from wrk's output: the script's JSON line (ValueError if there is none)."""
    for line in output.splitlines():
        if line.startswith(MARK):
            return sample(json.loads(line[len(MARK) :]))
    raise ValueError(f"wrk printed no summary line; its output was:\n{output.strip()[-2000:]}")


def sample(summary: dict[str, Any]) -> LoadSample:
    """A `LoadSample` from the script's summary (latency percentiles only, no raw latencies)."""
    failed_status = int(summary["status"])
    transport = {f"socket-{kind}": int(summary[kind]) for kind in _ERRORS if summary[kind]}
    answered = int(summary["requests"])
    outcomes = {"2xx": answered - failed_status, "non-2xx": failed_status} | transport
    outcomes = {k: v for k, v in outcomes.items() if v}

    def ms(key: str) -> float:
        return round(float(summary[key]) / 1000.0, 3)

    latency = LatencySummary(
        p50_ms=ms("p50_us"),
        p95_ms=ms("p95_us"),
        p99_ms=ms("p99_us"),
        mean_ms=ms("mean_us"),
        max_ms=ms("max_us"),
    )
    return LoadSample((), outcomes, int(summary["duration_us"]) / 1e6, latency=latency)


def run(target: Target, tokens: list[str], load: Load, workdir: Path) -> LoadSample:
    """Run wrk against `target`; the script (which holds the tokens) is removed afterwards."""
    script_file = workdir / "wrk-load.lua"
    script_file.write_text(script(target, tokens), encoding="utf-8")
    try:
        done = subprocess.run(
            command(target, load, script_file),
            capture_output=True,
            text=True,
            check=False,
            timeout=(load.duration or 0) + 60,
        )
    finally:
        script_file.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited with {done.returncode}: {done.stderr.strip()[-2000:]}")
    return parse(done.stdout)


def _plain(headers: dict[str, str]) -> dict[str, str]:
    for name, value in headers.items():
        if any(c in name + value for c in '"\\\n\r'):
            raise ValueError(f"header {name} has characters a load script cannot carry as is")
    return headers
