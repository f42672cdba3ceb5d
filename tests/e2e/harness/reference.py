"""The default run's statuses and levels as they were: what `test_same_results.py` diffs each
new default run against, with ``python -m harness diff``.

A faster harness must check no less: the same checks of the same cells and variants, each with
the same status and level. A change that moves one on purpose (a new check, a mended one)
writes the reference anew from a run it has looked at::

    python -m harness --report reports/matrix.html
    python -m tests.e2e.harness.reference reports/matrix.json

Only what ``harness diff`` compares is kept (each result's identity, status and level; the
run's verdict and totals), with each check's title and RFC section for the reader, one result
per line; what varies from run to run (ports, times, versions) is left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).with_name("reference") / "default-run.json"
KEPT = ("subject", "cell", "variant", "token_format", "check_id", "title", "rfc", "level", "status")
# What varies between runs of the same code: kept as members (a report has them), not as values.
STEADY_INFO = {"issuer": "", "started_at": "", "duration_s": 0.0, "started_s": 0.0,
               "command": "python -m harness", "versions": {}}  # fmt: skip


def trimmed(report: dict[str, Any]) -> str:
    """The reference text of a JSON report: a report ``harness diff`` reads."""
    results = sorted(
        ({name: result[name] for name in KEPT} for result in report["results"]),
        key=lambda r: (r["subject"], r["cell"], r["variant"], r["check_id"]),
    )
    head = {**report, "info": {**report["info"], **STEADY_INFO}, "observations": [], "results": []}
    text = json.dumps(head, indent=1, sort_keys=True, ensure_ascii=False)
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in results)
    return text.replace('"results": []', f'"results": [\n{lines}\n ]', 1) + "\n"


def main(argv: Sequence[str]) -> int:
    """Write the reference from a run's JSON report."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.e2e.harness.reference",
        description="Write the default run's reference (statuses and levels) from a JSON report.",
    )
    parser.add_argument("report", type=Path, help="a default run's JSON, e.g. reports/matrix.json")
    parser.add_argument("--out", type=Path, default=REFERENCE, help=f"default: {REFERENCE.name}")
    args = parser.parse_args(argv)
    try:
        raw = args.report.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"{args.report}: cannot read it ({exc.strerror or exc})")
        return 2
    try:
        report = json.loads(raw)
        text = trimmed(report)
    except (ValueError, KeyError, TypeError) as exc:
        print(f"{args.report}: not a harness JSON report ({type(exc).__name__}: {exc})")
        return 2
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(report['results'])} results, verdict {report['verdict']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
