"""Running `python -m harness` in live mode against the oidc-provider fixture, as a user would.

A subprocess, so the run is exactly the documented command: its own worker, its own log
capture, and an environment without the fixture's variables (values in the process
environment override the `.env`, and the `.env` must be the only source here). The report
(HTML + JSON, RFC 7662 matrix and issuer behaviour) lands in a temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .provider_process import OidcProvider

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class LiveRun:
    """One finished harness run: exit status, terminal output, report texts and the JSON."""

    returncode: int
    stdout: str
    stderr: str
    html: str
    json_text: str
    seconds: float

    @property
    def report(self) -> dict[str, Any]:
        """The JSON twin, parsed."""
        data: dict[str, Any] = json.loads(self.json_text)
        return data

    def results(self, check_id: str) -> dict[int, dict[str, Any]]:
        """The results of one check, by cell number."""
        return {r["cell"]: r for r in self.report["results"] if r["check_id"] == check_id}

    def observation(self, observation_id: str) -> dict[str, Any]:
        """One issuer-behaviour observation."""
        found: list[dict[str, Any]] = [
            o for o in self.report["observations"] if o["id"] == observation_id
        ]
        assert len(found) == 1, f"{observation_id} recorded {len(found)} times"
        return found[0]


def run_harness(provider: OidcProvider, report_dir: Path, workers: int = 1) -> LiveRun:
    """`python -m harness --env-file <fixture .env> --report <report_dir>/matrix.html`."""
    html = report_dir / "matrix.html"
    command = [sys.executable, "-m", "harness", "--env-file", str(provider.env_file),
               "--report", str(html), "-n", str(workers)]  # fmt: skip
    environ = {k: v for k, v in os.environ.items() if k not in provider.env}
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=REPO, env=environ, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
    )
    seconds = time.monotonic() - started
    json_path = html.with_suffix(".json")
    return LiveRun(
        returncode=done.returncode,
        stdout=done.stdout,
        stderr=done.stderr,
        html=html.read_text(encoding="utf-8") if html.is_file() else "",
        json_text=json_path.read_text(encoding="utf-8") if json_path.is_file() else "",
        seconds=seconds,
    )
