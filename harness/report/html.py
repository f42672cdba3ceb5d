"""The matrix report: one self-contained HTML file and its JSON twin.

The HTML has inline CSS only, no scripts and no external assets, so it opens from disk and in
a headless browser alike. The exchanges it shows were redacted when recorded; the report adds
no secret of its own (copy-as-curl lines name secrets as shell variables, ``$TOKEN``). Status
words follow RFC 2119 §1/§3 (MUST and SHOULD failures differ); a *fail-open* (a 2xx where a
refusal is owed) is the worst. At the top: the verdict, what left the run incomplete, what
weakened it, the causes shared by many failures and every failure linked to its row. Then a
section per subject (when results name several), and "Issuer behaviour", unjudged.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import jinja2

from harness.model.figures import propagation_figures
from harness.model.results import (
    TRUNCATED_MARK,
    CheckResult,
    Exchange,
    Level,
    RunResult,
    Status,
    Verdict,
    verdict_of,
)
from harness.model.serial import write_whole
from harness.report.causes import shared_causes
from harness.report.curl import curl_line
from harness.report.summary import (
    BUILT_IN,
    CellSummary,
    Counts,
    Row,
    by_subject,
    count,
    grid,
    group_of,
    subject_prefix,
    summarise,
)

TEMPLATES = Path(__file__).parent / "templates"
RFC_EDITOR = "https://www.rfc-editor.org/rfc/rfc{number}"
# Failures listed at the top before the rest are folded (the worst come first).
SHOWN_FAILURES = 12
# A banner quotes this many of the API's log lines, the last ones.
BANNER_LINES = 8
_LABELS = {
    Status.PASSED: "PASS",
    Status.FAILED: "FAIL",
    Status.NOT_APPLICABLE: "N/A",
    Status.NOT_CONFIGURED: "NOT CONFIGURED",
}
_RFC_PART = re.compile(r"RFC\s*(\d+)(.*)")
_SECTION = re.compile(r"§\s*([0-9A-Z][0-9.]*[0-9A-Z]|[0-9A-Z])")


@dataclass(frozen=True)
class ReportPaths:
    """Where a report was written."""

    html: Path
    json: Path


@dataclass(frozen=True)
class SubjectView:
    """One subject's part of the report: its verdict, counts, matrix and cells."""

    name: str
    prefix: str
    verdict: Verdict
    counts: Counts
    mechanisms: list[object]
    rows: list[Row]
    summaries: list[CellSummary]

    @property
    def label(self) -> str:
        """The subject's name, or what the empty name means."""
        return self.name or BUILT_IN


def status_label(result: CheckResult) -> str:
    """The word shown for a result; a failed SHOULD check says so; fail-open is named."""
    if result.known_deviation and result.status is Status.FAILED:
        return "KNOWN FAIL-OPEN" if result.fail_open else "KNOWN DEVIATION"
    if result.fail_open:
        return "FAIL-OPEN"
    if result.status is Status.FAILED and result.level is Level.SHOULD:
        return "FAIL (SHOULD)"
    return _LABELS[result.status]


def status_class(result: CheckResult) -> str:
    """The CSS class (colour) of a result."""
    if result.known_deviation and result.status is Status.FAILED:
        return "warn"
    if result.fail_open:
        return "fail_open"
    if result.status is Status.FAILED:
        return "fail" if result.level is Level.MUST else "warn"
    return "pass" if result.status is Status.PASSED else str(result.status)


def row_id(result: CheckResult) -> str:
    """The HTML id of a result's row (unique across subjects)."""
    return f"{subject_prefix(result.subject)}{result.variant}-{result.check_id}"


def rfc_links(rfc: str) -> list[tuple[str, str]]:
    """``RFC 6750 §3.1; RFC 7662 §2.2`` as (text, rfc-editor URL with the section anchor)."""
    links = []
    for part in rfc.split(";"):
        match = _RFC_PART.search(part)
        if match is None:
            continue
        number, rest = match.groups()
        base = RFC_EDITOR.format(number=number)
        sections = _SECTION.findall(rest)
        if not sections:
            links.append((f"RFC {number}", base))
        for section in sections:
            links.append((f"RFC {number} §{section}", f"{base}#section-{section}"))
    return links


def exchange_text(exchange: Exchange) -> str:
    """An exchange as an HTTP/1.1-like transcript (request, blank line, response)."""
    lines = [f"{exchange.method} {exchange.url}"]
    lines += [f"{name}: {value}" for name, value in exchange.request_headers.items()]
    if exchange.request_body:
        lines += ["", exchange.request_body]
    lines.append("")
    if exchange.error:
        lines.append(f"(no response: {exchange.error})")
    else:
        lines.append(f"HTTP {exchange.status}")
        lines += [f"{name}: {value}" for name, value in exchange.response_headers.items()]
        if exchange.response_body:
            lines += ["", exchange.response_body]
    return "\n".join(lines)


def last_lines(records: tuple[str, ...], count: int = BANNER_LINES) -> str:
    """The last ``count`` text lines of some log records (a traceback ends with its cause)."""
    lines = "\n".join(records).splitlines()
    cut = ["[… earlier lines in the check's own log below]"] if len(lines) > count else []
    return "\n".join(cut + lines[-count:])


def truncated(exchange: Exchange) -> bool:
    """True when a body of the exchange was cut by the harness."""
    return TRUNCATED_MARK in exchange.request_body or TRUNCATED_MARK in exchange.response_body


def subject_views(run: RunResult) -> list[SubjectView]:
    """One view per subject (the built-in samples first)."""
    views = []
    for name, results in by_subject(run.results).items():
        prefix = subject_prefix(name)
        summaries = summarise(results, prefix)
        mechanisms, rows = grid(summaries)
        verdict = verdict_of(results, run.info.problems)
        views.append(
            SubjectView(name, prefix, verdict, count(results), list(mechanisms), rows, summaries)
        )
    return views


def failures(run: RunResult) -> list[CheckResult]:
    """Failed results, worst first: fail-open, then MUST, then SHOULD."""
    failed = [r for r in run.results if r.status is Status.FAILED]
    return sorted(
        failed, key=lambda r: (not r.fail_open, r.level is not Level.MUST, r.subject, r.cell)
    )


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        status_label=status_label,
        status_class=status_class,
        exchange_text=exchange_text,
        curl_line=curl_line,
        rfc_links=rfc_links,
        row_id=row_id,
        truncated=truncated,
        last_lines=last_lines,
        cell_anchor=lambda subject, number: f"{subject_prefix(subject)}cell{number}",
        group_of=group_of,
    )
    return env


def render_html(run: RunResult, json_name: str = "matrix.json") -> str:
    """The report as one self-contained HTML document."""
    template = _environment().get_template("matrix.html.j2")
    return template.render(
        info=run.info,
        totals=count(run.results),
        verdict=run.verdict.value,
        verdict_class=run.verdict.value.lower(),
        missing=run.missing,
        causes=shared_causes(run.results),
        failures=failures(run),
        shown_failures=SHOWN_FAILURES,
        subjects=subject_views(run),
        observations=run.observations,
        figures=propagation_figures(run),
        json_name=json_name,
    )


def render_json(run: RunResult) -> str:
    """The report's JSON twin: verdict and totals first, then the same data as the HTML."""
    totals = {**asdict(count(run.results)), "total": len(run.results)}
    head = {
        "verdict": str(run.verdict),
        "totals": totals,
        "missing": {name: len(found) for name, found in run.missing.items()},
    }
    return json.dumps({**head, **run.to_dict()}, indent=2, ensure_ascii=False) + "\n"


def write_report(run: RunResult, html_path: Path) -> ReportPaths:
    """Write ``html_path`` and the JSON twin beside it (same name, ``.json``)."""
    html_path = Path(html_path)
    json_path = html_path.with_suffix(".json")
    html_path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(html_path, render_html(run, json_path.name))
    write_whole(json_path, render_json(run))
    return ReportPaths(html=html_path, json=json_path)


def read_json(json_path: Path) -> RunResult:
    """Load a run back from its JSON twin."""
    return RunResult.from_dict(json.loads(Path(json_path).read_text(encoding="utf-8")))
