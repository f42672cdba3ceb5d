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

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from harness.model.bounds import CAPS
from harness.model.figures import propagation_figures
from harness.model.results import CheckResult, Level, RunResult, Status
from harness.model.serial import write_whole
from harness.model.text import escape_controls
from harness.report.budget import with_evidence, within_budget
from harness.report.causes import excerpt, gist, same_answer
from harness.report.curl import curl_line
from harness.report.evidence import exchange_text, last_lines, rfc_links, truncated
from harness.report.groups import interleaved
from harness.report.json_report import json_chunks
from harness.report.rerun import rerun_command
from harness.report.summary import (
    api_of,
    count,
    group_of,
    not_started,
    subject_prefix,
)
from harness.report.table import FAMILIES
from harness.report.timing import run_timing
from harness.report.views import CAUSES_SHOWN, overview, subject_views

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "matrix.html.j2"
_LABELS = {
    Status.PASSED: "PASS",
    Status.FAILED: "FAIL",
    Status.NOT_APPLICABLE: "N/A",
    Status.NOT_CONFIGURED: "NOT CONFIGURED",
}


@dataclass(frozen=True)
class ReportPaths:
    """Where a report was written."""

    html: Path
    json: Path


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


def visible(value: Any) -> Any:
    """Every value the template prints, control characters as visible escapes (a second
    guard: captured text is escaped when it is recorded)."""
    if isinstance(value, Markup):
        return Markup(escape_controls(str(value)))
    return escape_controls(value) if isinstance(value, str) else value


@functools.cache
def _environment() -> jinja2.Environment:
    """The template environment, built once per process (compiling the template takes time)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.do"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=visible,
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
        api_of=api_of,
        excerpt=excerpt,
        gist=gist,
        same_answer=same_answer,
        family_name=lambda family: FAMILIES.get(family, family),
    )
    return env


def _context(run: RunResult, json_name: str) -> dict[str, Any]:
    views = subject_views(run)
    groups = interleaved([group for view in views for group in view.failures])
    return dict(
        info=run.info,
        totals=count(run.results),
        verdict=run.verdict.value,
        verdict_class=run.verdict.value.lower(),
        missing=run.missing,
        overview=overview(run),
        not_started=not_started(run),
        subjects=views,
        failed_checks=len(groups),
        evidence=with_evidence(group.worst for group in groups),
        causes_shown=CAUSES_SHOWN,
        observations=run.observations,
        figures=propagation_figures(run),
        timing=run_timing(run),
        json_name=json_name,
        caps=CAPS,
        rerun=lambda result, cells=(): rerun_command(run.info, result, cells),
    )


def prepare() -> None:
    """Compile the report's template now (a run does it while it waits for its workers)."""
    _environment().get_template(TEMPLATE)


def render_html(run: RunResult, json_name: str = "matrix.json") -> str:
    """The report as one self-contained HTML document."""
    return "".join(html_chunks(run, json_name))


def html_chunks(run: RunResult, json_name: str = "matrix.json") -> Any:
    """The report's HTML in pieces, as the template produces them."""
    template = _environment().get_template(TEMPLATE)
    return template.generate(**_context(run, json_name))


def write_report(run: RunResult, html_path: Path) -> ReportPaths:
    """Write ``html_path`` and the JSON twin beside it (same name, ``.json``), each as it is
    built (under a temporary name, then renamed: never half a file), each within its budget
    (``report/budget.py``)."""
    html_path = Path(html_path)
    json_path = html_path.with_suffix(".json")
    html_path.parent.mkdir(parents=True, exist_ok=True)
    run = within_budget(run)
    write_whole(html_path, html_chunks(run, json_path.name))
    write_whole(json_path, json_chunks(run))
    return ReportPaths(html=html_path, json=json_path)
