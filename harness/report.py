"""The matrix report: one self-contained HTML file and its JSON twin.

The HTML has inline CSS only, no scripts and no external assets, so it opens from disk and in
a headless browser alike. The exchanges it shows were redacted when recorded; the report adds
no secret of its own. Status words follow RFC 2119 §1/§3 (MUST and SHOULD failures differ).
A section "Issuer behaviour" lists the observations (RFC 7662, RFC 6749 answers), unjudged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from harness.matrix import Grant, Mechanism
from harness.results import CheckResult, Exchange, Level, RunResult, Status
from harness.summary import count, summarise

TEMPLATES = Path(__file__).parent / "templates"
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
    """The word shown for a result; a failed SHOULD check says so."""
    if result.status is Status.FAILED and result.level is Level.SHOULD:
        return "FAIL (SHOULD)"
    return _LABELS[result.status]


def status_class(result: CheckResult) -> str:
    """The CSS class (colour) of a result."""
    if result.status is Status.FAILED:
        return "fail" if result.level is Level.MUST else "warn"
    return "pass" if result.status is Status.PASSED else str(result.status)


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


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        status_label=status_label, status_class=status_class, exchange_text=exchange_text
    )
    return env


def render_html(run: RunResult, json_name: str = "matrix.json") -> str:
    """The report as one self-contained HTML document."""
    summaries = summarise(run)
    auths = list(Mechanism)
    by_number = {s.cell.number: s for s in summaries}
    grid = [
        (grant, [s for s in summaries if s.cell.grant is grant])
        for grant in (Grant.JWT_PROFILE, Grant.CLIENT_CREDENTIALS, Grant.PAT)
    ]
    template = _environment().get_template("matrix.html.j2")
    return template.render(
        info=run.info,
        totals=count(run.results),
        run_passed=run.passed,
        verdict="PASSED" if run.passed else "FAILED",
        auths=auths,
        grid=grid,
        summaries=[by_number[n] for n in sorted(by_number)],
        observations=run.observations,
        json_name=json_name,
    )


def render_json(run: RunResult) -> str:
    """The report's JSON twin: the same data, machine-readable."""
    return json.dumps(run.to_dict(), indent=2, ensure_ascii=False) + "\n"


def write_report(run: RunResult, html_path: Path) -> ReportPaths:
    """Write ``html_path`` and the JSON twin beside it (same name, ``.json``)."""
    html_path = Path(html_path)
    json_path = html_path.with_suffix(".json")
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(render_html(run, json_path.name), encoding="utf-8")
    json_path.write_text(render_json(run), encoding="utf-8")
    return ReportPaths(html=html_path, json=json_path)


def read_json(json_path: Path) -> RunResult:
    """Load a run back from its JSON twin."""
    return RunResult.from_dict(json.loads(Path(json_path).read_text(encoding="utf-8")))
