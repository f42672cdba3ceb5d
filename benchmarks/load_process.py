"""`python -m benchmarks.load_process`: the in-repo driver in a process of its own.

Used where `wrk` is not installed (or with `--load python`). The load must not come from the
process that hosts the mock issuer, nor from the measured API: they would share one interpreter
lock, and the driver's CPU would be counted as theirs. The parent writes one JSON document on
stdin (the `Target`, the tokens, the `Load`) and reads the `LoadSample` as JSON on stdout;
tokens travel on the pipe, never on the command line. The requests are RFC 6750 §2.1 bearer
requests or RFC 7662 §2.1 introspection posts
(https://www.rfc-editor.org/rfc/rfc7662#section-2.1).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.load import LoadSample, drive
from benchmarks.scenarios import Load
from benchmarks.target import Target

REPO = Path(__file__).resolve().parents[1]


def request_document(target: Target, tokens: list[str], load: Load) -> str:
    """What the parent sends the child."""
    return json.dumps(
        {"target": dataclasses.asdict(target), "tokens": tokens, "load": dataclasses.asdict(load)}
    )


def sample_document(sample: LoadSample) -> str:
    """What the child answers."""
    return json.dumps(dataclasses.asdict(sample))


def read_sample(text: str) -> LoadSample:
    """The `LoadSample` from the child's answer."""
    data: dict[str, Any] = json.loads(text)
    return LoadSample(
        tuple(data["latencies_s"]), dict(data["outcomes"]), float(data["elapsed_s"]), None
    )


def run(target: Target, tokens: list[str], load: Load) -> LoadSample:
    """Drive `load` at `target` from a child process and return what it saw."""
    budget = (load.duration or 0) + (load.requests or 0) * 0.1 + 120
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.load_process"],
        input=request_document(target, tokens, load),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=budget,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the load process failed: {done.stderr.strip()[-2000:]}")
    return read_sample(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Read the request on stdin, drive the load, print the sample."""
    argparse.ArgumentParser(
        prog="python -m benchmarks.load_process",
        description="The in-repo load driver, as the benchmarks start it (python -m benchmarks "
        "--load python): it reads one JSON document on stdin (the target, the tokens, the load) "
        "and prints the load sample as JSON. Not meant to be run by hand.",
    ).parse_args(argv)
    request: dict[str, Any] = json.load(sys.stdin)
    target = Target(**request["target"])
    load = Load(**request["load"])
    sample = asyncio.run(drive(target, request["tokens"], load))
    print(sample_document(sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
