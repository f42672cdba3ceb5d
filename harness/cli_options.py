"""The options of ``python -m harness``, as data: what ``harness/cli.py`` builds its parser from.

Kept apart from the command's logic so that module stays within its size; ``--help`` prints
them in this order, each default written ``(default: X)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.model.matrix import Mode
from harness.report.history import KEEP_RUNS, runs_to_keep

DEFAULT_REPORT = Path("reports") / "matrix.html"
ENVIRONMENT = """mock mode reads none; live mode reads the .env variables (ZITADEL_DOMAIN,
    PROJECT_ID, API_*, CLIENT_*, PERSONAL_ACCESS_TOKEN, EXPECTED_ROLES_*, ...: see
    .env.example), from the process environment first, then the --env-file"""


# The options, in --help order: flags and argparse's keywords (a data table).
OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("--env-file",), {"type": Path, "metavar": "PATH",
        "help": "a .env describing a live issuer (see .env.example); implies --issuer live"}),
    (("--issuer",), {"choices": [m.value for m in Mode],
        "help": "mock or live (default: mock, or live when --env-file is given; live reads "
                "./.env if no file is given)"}),
    (("--report",), {"type": Path, "default": DEFAULT_REPORT, "metavar": "PATH",
        "help": "where to write the HTML report; the JSON goes beside it "
                f"(default: {DEFAULT_REPORT})"}),
    (("-n", "--workers"), {"default": "auto", "metavar": "N",
        "help": "worker processes, each with its own issuer and APIs (default: auto, one per "
                "CPU)"}),
    (("--cells",), {"metavar": "N,N", "help": "only these cells, e.g. 1,4 (default: all)"}),
    (("--checks",), {"metavar": "ID,ID", "help": "only these check ids (default: all)"}),
    (("--profile",), {"choices": ("full", "quick"), "default": "full",
        "help": "quick: the positive, RFC 6750 and core negative checks, none that waits, in "
                "seconds (pre-commit); full: every check (default: full)"}),
    (("--subject",), {"action": "append", "type": Path, "default": [], "metavar": "FILE",
        "help": "check the API this subject file describes (repeatable; see docs/subjects.md) "
                "(default: the sample APIs' own subject files)"}),
    (("--subject-dir",), {"action": "append", "type": Path, "default": [], "metavar": "DIR",
        "help": "check every subject file (*.toml) under DIR (repeatable)"}),
    (("--in-process",), {"action": "store_true",
        "help": "serve the sample APIs inside the harness instead of as subjects"}),
    (("--keep-runs",), {"type": runs_to_keep, "default": str(KEEP_RUNS), "metavar": "N",
        "help": f"keep the newest N runs under runs/ beside the report, or all (default: "
                f"{KEEP_RUNS})"}),
    (("--keep-issuer",), {"action": "store_true",
        "help": "keep the mock issuer and the APIs running after the run, until Ctrl-C, and "
                "say how to get a token: the report's curl lines work as shown"}),
    (("-v", "--verbose"), {"action": "store_true",
        "help": "print every failure and what the failures come down to, not the ten worst"}),
)  # fmt: skip
DESCRIPTION = """\
Run the token-checking matrix (3 grants x 3 mechanisms: introspection with
private_key_jwt or client_secret_basic, local JWT validation) against the embedded
mock issuer or a live one, print it, and write an HTML report with a JSON twin
(the latest at --report, each run also under runs/<timestamp>/ beside it).

Kept runs: 'python -m harness diff A.json B.json' shows what changed between two
runs; 'python -m harness merge A.json B.json ... [--report PATH]' joins shards
into one report (see their --help)."""
