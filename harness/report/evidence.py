"""How a result's evidence reads in the report: exchanges as transcripts, RFC links, log tails.

An exchange reads as an HTTP/1.1-like transcript (RFC 9112 §3 and §4: request line, header
fields, blank line, body; then the status line and the answer); an RFC reference becomes a
link to the section at rfc-editor.org. Everything shown was redacted and bounded when it was
recorded (``harness/redaction.py``, ``harness/model/bounds.py``).
"""

from __future__ import annotations

import re

from harness.model.results import TRUNCATED_MARK, Exchange

RFC_EDITOR = "https://www.rfc-editor.org/rfc/rfc{number}"
# A banner quotes this many of the API's log lines, the last ones.
BANNER_LINES = 8
_RFC_PART = re.compile(r"RFC\s*(\d+)(.*)")
_SECTION = re.compile(r"§\s*([0-9A-Z][0-9.]*[0-9A-Z]|[0-9A-Z])")


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
