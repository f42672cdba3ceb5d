"""A Markdown table of subjects' results by check family, from a run's ``matrix.json``.

    python -m harness.report.table reports/matrix.json

Used to write the table of third-party subjects in ``docs/subjects.md`` from a real run. Per
subject and family (the check modules: RFC 6750 answers, tokens, roles, ZITADEL's roles,
issuer faults, the lying issuer, local JWT, MCP, the OpenAPI surface, RFC 9728 metadata,
leaks) it counts the checks that passed in every variant and those that failed, by level
(fail-open, MUST, SHOULD), then lists what each subject gets wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from harness.model.results import CheckResult, RunResult, Status
from harness.report.json_report import NotAReport, read_json

FAMILIES = {
    "rfc6750": "RFC 6750 answers",
    "tokens": "tokens",
    "roles": "roles",
    "zitadel_roles": "ZITADEL roles",
    "faults": "issuer faults",
    "lies": "lying issuer",
    "local_jwt": "local JWT",
    "mcp": "MCP",
    "openapi": "OpenAPI surface",
    "resource_metadata": "RFC 9728 metadata",
    "leaks": "no secrets leaked",
}


def verdicts(results: Sequence[CheckResult]) -> dict[str, str]:
    """Each check's worst verdict over the variants: fail-open, MUST, SHOULD, passed or n/a."""
    rank = {"fail-open": 0, "MUST": 1, "SHOULD": 2, "passed": 3, "n/a": 4}
    found: dict[str, str] = {}
    for result in results:
        word = _word(result)
        if result.check_id not in found or rank[word] < rank[found[result.check_id]]:
            found[result.check_id] = word
    return found


def _word(result: CheckResult) -> str:
    if result.status is Status.FAILED:
        return "fail-open" if result.fail_open else str(result.level)
    return "passed" if result.status is Status.PASSED else "n/a"


def table(run: RunResult) -> str:
    """The Markdown table (subjects x families), then each subject's failed checks."""
    by_subject: dict[str, list[CheckResult]] = defaultdict(list)
    for result in run.results:
        by_subject[result.subject or "(samples)"].append(result)
    families = {r.check_id: r.family or "other" for r in run.results}
    used = [f for f in FAMILIES if f in families.values()]
    lines = [
        "| subject | " + " | ".join(FAMILIES[f] for f in used) + " |",
        "|---|" + "---|" * len(used),
    ]
    for subject, results in sorted(by_subject.items()):
        words = verdicts(results)
        cells = [_cell([w for c, w in words.items() if families[c] == f]) for f in used]
        lines.append(f"| `{subject}` | " + " | ".join(cells) + " |")
    lines.append("")
    for subject, results in sorted(by_subject.items()):
        lines += _wrong(subject, results)
    return "\n".join(lines)


def _cell(words: list[str]) -> str:
    ran = [w for w in words if w != "n/a"]
    if not ran:
        return "n/a"
    passed = sum(1 for w in ran if w == "passed")
    parts = [f"{passed}/{len(ran)} passed"]
    for level in ("fail-open", "MUST", "SHOULD"):
        count = sum(1 for w in ran if w == level)
        if count:
            parts.append(f"**{count} {level}**" if level == "fail-open" else f"{count} {level}")
    return ", ".join(parts)


def _wrong(subject: str, results: list[CheckResult]) -> list[str]:
    words = verdicts(results)
    titles = {r.check_id: r.title for r in results}
    families = {r.check_id: r.family for r in results}
    order = {"fail-open": 0, "MUST": 1, "SHOULD": 2}
    failed = sorted(
        ((w, c) for c, w in words.items() if w in order), key=lambda f: (order[f[0]], f[1])
    )
    if not failed:
        return [f"- `{subject}`: nothing failed.", ""]
    lines = [f"- `{subject}` fails:"]
    for word, check_id in failed:
        if families[check_id] != "lies":
            lines.append(f"  - {word}: `{check_id}` ({titles[check_id]})")
    for word in order:
        lies = [c.split("-lie-", 1)[-1] for w, c in failed if w == word and families[c] == "lies"]
        if lies:
            lines.append(f"  - {word}, {len(lies)} lies of the issuer: {', '.join(lies)}")
    return [*lines, ""]


def parser() -> argparse.ArgumentParser:
    """The command line: one run's JSON report."""
    p = argparse.ArgumentParser(
        prog="python -m harness.report.table",
        description="Print a Markdown table of each subject's results by check family (and "
        "what each subject fails) from a run's JSON report, as docs/subjects.md shows it.",
        epilog="exit status: 0 printed; 2 the file cannot be read or is not a harness JSON "
        "report (matrix.json)",
    )
    p.add_argument("run", type=Path, metavar="RUN.json", help="a run's matrix.json")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table for the ``matrix.json`` given."""
    args = parser().parse_args(argv)
    try:
        run = read_json(args.run)
    except OSError as exc:
        print(f"error: {args.run}: cannot be read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except NotAReport as exc:
        print(f"error: {args.run} is not a harness JSON report (matrix.json): {exc}",
              file=sys.stderr)  # fmt: skip
        return 2
    print(table(run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
