"""Which load generator drives a run: `wrk` where installed, else the in-repo driver.

Both run in a process of their own, never in the measured API's nor in the mock issuer's, and
send the same RFC 6750 §2.1 requests (https://www.rfc-editor.org/rfc/rfc6750#section-2.1).
wrk runs for a duration only, so a run counted in requests uses the in-repo driver. Every
result names the generator that produced it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from benchmarks import load_process, wrk
from benchmarks.load import LoadSample
from benchmarks.scenarios import Load
from benchmarks.target import Target

Generator = Literal["wrk", "python"]
CHOICES = ("auto", "wrk", "python")


def choose(requested: str, load: Load, *, wrk_installed: bool | None = None) -> Generator:
    """The generator for `requested` (`auto`, `wrk` or `python`); ValueError if it cannot run."""
    installed = wrk.available() if wrk_installed is None else wrk_installed
    if requested == "python":
        return "python"
    if requested == "wrk":
        if not installed:
            raise ValueError("--load wrk: wrk is not installed (apt-get install wrk)")
        if load.duration is None:
            raise ValueError("--load wrk runs for a duration: give --duration S")
        return "wrk"
    return "wrk" if installed and load.duration is not None else "python"


def generate(
    generator: Generator, target: Target, tokens: list[str], load: Load, workdir: Path
) -> LoadSample:
    """Drive `load` at `target` with `generator`, from a process of its own."""
    if generator == "wrk":
        return wrk.run(target, tokens, load, workdir)
    return load_process.run(target, tokens, load)
