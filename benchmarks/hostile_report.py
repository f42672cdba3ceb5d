"""`python -m benchmarks.hostile_report`: the harness's report of a hostile, chatty subject.

The subject is the test suite's `tests/e2e/harness/hostile_api.py`: it lets every token in and
answers each request with the next of its bad habits (the token echoed at a new offset, a 30 MB
body, a gzip bomb, control characters, UTF-16, markup), printing `--log-mb` MB of log per
request (colours, control characters, the token and its own client secret at a new offset
each time). The run is in this process (one worker), so its peak RSS is the harness's own (the
subject's is its own process's). Measured: the run's time, the time to write the report (HTML,
JSON and the kept copy), their sizes, the harness's peak RSS, and every 8 characters of every
secret the run knew (tokens, client secrets, keys, PATs: its redactors' every form) looked for
in the HTML, the JSON and the terminal (the ending and its `-v` form). Exit 0 when every goal
of issue 20 is met. Run from a checkout.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from harness.checks import ALL_CHECKS
from harness.redaction import MIN_SECRET_LENGTH, Redactor, pieces
from harness.report.history import write_and_keep
from harness.report.terminal import ending
from harness.run.cases import select_cells
from harness.run.keep import kept_targets
from harness.run.runner import Plan, run_matrix
from harness.subjects.file import load_subject
from harness.targets.base import Target
from harness.targets.spec import TargetSpec

HOSTILE_API = Path(__file__).resolve().parents[1] / "tests" / "e2e" / "harness" / "hostile_api.py"
GOALS = {"html_mb": 10.0, "json_mb": 10.0, "peak_rss_mib": 300.0, "write_s": 2.0, "leaks": 0}
# Polling checks ask the API every 50 ms for seconds: with tens of MB of log per request they
# would measure the pipe, not the report. Left out unless asked for (--checks).
POLLING = ("RFC7662-4-propagation-",)
_RUN = re.compile(rf"[A-Za-z0-9_+/=-]{{{MIN_SECRET_LENGTH},}}")


@dataclass(frozen=True)
class Measured:
    """What one run measured."""

    results: int
    failed: int
    run_s: float
    write_s: float
    html_mb: float
    json_mb: float
    peak_rss_mib: float
    secrets: int
    leaks: int


def subject_file(folder: Path, log_mb: float) -> Path:
    """A subject file for the hostile API (client_secret_basic, so it has a secret to leak)."""
    path = folder / "hostile.toml"
    path.write_text(
        f'name = "hostile-chatty"\nmechanism = "client_secret_basic"\n'
        f'command = ["{{python}}", "{HOSTILE_API}"]\n'
        f'[env]\nPORT = "{{port}}"\nAPI_CLIENT_SECRET = "{{api_client_secret}}"\n'
        f'LOG_MB = "{log_mb:g}"\n',
        encoding="utf-8",
    )
    return path


def fragments(secrets: Iterable[str]) -> set[str]:
    """Every 8 characters of every secret's every form, as the redactor promises to mask them
    (`harness.redaction.pieces`: a JWT's header and a PEM block's armour are no secret)."""
    grams = set()
    for secret in secrets:
        for piece in pieces(secret):
            grams |= {piece[i : i + MIN_SECRET_LENGTH] for i in range(len(piece) - 7)}
    return grams


def leaks(text: str, grams: set[str]) -> int:
    """How many runs of token characters in ``text`` hold 8 characters of a secret."""
    found = 0
    for run in _RUN.finditer(text):
        word = run.group(0)
        if any(word[i : i + MIN_SECRET_LENGTH] in grams for i in range(len(word) - 7)):
            found += 1
    return found


def measure(cells: str, checks: Sequence[str], log_mb: float) -> Measured:
    """One run of the hostile subject, its report written and searched."""
    with tempfile.TemporaryDirectory(prefix="hostile-report-") as name:
        folder = Path(name)
        subject = load_subject(subject_file(folder, log_mb))
        chosen = tuple(c for c in ALL_CHECKS if _chosen(c.id, checks))
        plan = Plan(TargetSpec(), select_cells(cells), chosen, (), subjects=(subject,))
        started = time.perf_counter()
        with kept_targets(True) as targets:  # kept, so their redactors' secrets can be read
            assert targets is not None
            run = run_matrix(plan, 1, None, "python -m benchmarks.hostile_report", targets)
            secrets = {s for t in targets for r in _redactors(t) for s in r.secrets}
        ran = time.perf_counter()
        paths, _ = write_and_keep(run, folder / "report" / "matrix.html")
        written = time.perf_counter()
        texts = [paths.html.read_text("utf-8"), paths.json.read_text("utf-8")]
        texts += ["\n".join([*ending(run), *ending(run, verbose=True)])]
        grams = fragments(secrets)
        return Measured(
            results=len(run.results),
            failed=sum(1 for r in run.results if r.status == "failed"),
            run_s=round(ran - started, 1),
            write_s=round(written - ran, 2),
            html_mb=round(paths.html.stat().st_size / 1e6, 2),
            json_mb=round(paths.json.stat().st_size / 1e6, 2),
            peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            secrets=len(secrets),
            leaks=sum(leaks(text, grams) for text in texts),
        )


def _redactors(target: Target) -> list[Redactor]:
    """The target's redactor, and its base target's (a subject's target stands on the mock's)."""
    base = getattr(target, "base", None)
    return [target.redactor, *([base.redactor] if base is not None else [])]


def _chosen(check_id: str, checks: Sequence[str]) -> bool:
    if checks:
        return check_id in checks
    return not check_id.startswith(POLLING)


def met(found: Measured) -> dict[str, bool]:
    """Each goal, met or not."""
    values = asdict(found)
    return {goal: values[goal] <= limit for goal, limit in GOALS.items()}


def main(argv: Sequence[str]) -> int:
    """Run, print the figures (and JSON with --json); 0 when every goal is met."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.hostile_report", description=__doc__
    )
    parser.add_argument("--cells", default="4", help="cells to run (default: %(default)s)")
    parser.add_argument("--checks", default="", help="check ids (default: all but the polling)")
    parser.add_argument("--log-mb", type=float, default=20.0, help="MB of log per request")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    found = measure(args.cells, [c for c in args.checks.split(",") if c], args.log_mb)
    goals = met(found)
    if args.json:
        print(json.dumps({"measured": asdict(found), "met": goals}))
    else:
        for name, value in asdict(found).items():
            limit = GOALS.get(name)
            mark = (
                ""
                if limit is None
                else f"  (goal <= {limit}: {'met' if goals[name] else 'NOT MET'})"
            )
            print(f"{name:>13}: {value}{mark}")
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
