"""`harness/report/` reads `harness/model/` only: importing it, in a fresh interpreter, loads no
module of the mock issuer and no check (writing a JSON report used to load 33 and 13)."""

from __future__ import annotations

import json
import subprocess
import sys

from .tree import ROOT, modules

REPORT_MODULES = sorted(name for name in modules() if name.split(".")[:2] == ["harness", "report"])
PROGRAM = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by_importing(*names: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_the_report_wing_loads_no_mock_issuer_and_no_check() -> None:
    assert "harness.report.html" in REPORT_MODULES
    loaded = loaded_by_importing(*REPORT_MODULES)
    assert set(REPORT_MODULES) <= set(loaded)
    assert [m for m in loaded if m.split(".")[0] == "mock_issuer"] == []
    assert [m for m in loaded if m.split(".")[:2] == ["harness", "checks"]] == []
