"""What a subject's failures come down to: failed checks grouped by cause, worst first.

When the issuer is unreachable, or refuses the API's own credentials (RFC 7662 §2.1), or
refuses the service user's grant (RFC 6749 §5.2), dozens of checks fail for that one reason.
A cause is named from what the failures carry (the API's log lines, its calls to the issuer,
the harness's own error text); failures that share no named cause are grouped by the answer
they got, in the harness's own words: the status and a short, escaped excerpt of the rest.
Causes are found within one subject, never across subjects (two APIs answering 200 is not one
cause). A failure under a condition the harness made on purpose (a fault, a lie: `injected`)
is never given a setting to fix: the API's answer to it is the finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from harness.model.results import CheckResult, RunInfo, Status
from harness.model.text import escape_controls
from harness.report.advice import advice
from harness.report.budget import severity

# How much of an answer a cause's title quotes.
EXCERPT = 90
INJECTED = "the harness made the issuer fail or lie on purpose"


@dataclass(frozen=True)
class Rule:
    """A known cause: its key, its title, and the evidence that points to it."""

    key: str
    title: str
    pattern: re.Pattern[str]


RULES = (
    Rule(
        "issuer-unreachable",
        "The issuer could not be reached",
        re.compile(
            r"ConnectError|ConnectTimeout|connection refused|All connection attempts failed"
            r"|issuer (is )?unreachable|Name or service not known",
            re.IGNORECASE,
        ),
    ),
    Rule(
        "api-credentials-refused",
        "The issuer refused the API's own credentials",
        re.compile(
            r"own credentials|introspect\S* -> HTTP 40[01].*(invalid_client|unauthorized_client)",
            re.IGNORECASE,
        ),
    ),
    Rule(
        "grant-refused",
        "The issuer refused the service user's token request",
        re.compile(r"token endpoint answered", re.IGNORECASE),
    ),
)


@dataclass(frozen=True)
class Cause:
    """Failures of one subject explained by one cause."""

    key: str
    title: str
    advice: str
    results: tuple[CheckResult, ...]
    # What the harness did on purpose, when every failure here was under it.
    injected: str = ""

    @property
    def checks(self) -> tuple[str, ...]:
        """The distinct check ids involved, in order of appearance."""
        return tuple(dict.fromkeys(r.check_id for r in self.results))

    @property
    def fail_open(self) -> int:
        """How many of the failures let a request in that had to be refused."""
        return sum(1 for r in self.results if r.fail_open and not r.known_deviation)

    @property
    def worst(self) -> CheckResult:
        """The worst failure (fail-open first), the one to look at first."""
        return min(self.results, key=severity)


def evidence(result: CheckResult) -> str:
    """Everything a failure says about itself, as one text to match causes against."""
    calls = [
        f"{x.method} {x.url} -> "
        + (f"HTTP {x.status} {x.response_body}" if x.status is not None else x.error)
        for x in result.issuer_exchanges
    ]
    return "\n".join([result.actual, result.detail, *result.api_log, *calls])


def classify(result: CheckResult) -> Rule | None:
    """The first known cause whose pattern the failure's evidence matches."""
    text = evidence(result)
    return next((rule for rule in RULES if rule.pattern.search(text)), None)


def excerpt(actual: str, limit: int = EXCERPT) -> str:
    """An answer in one short line: whitespace folded, tags dropped, escaped, cut."""
    text = re.sub(r"<[^<>]{0,200}>", " ", actual)
    text = re.sub(r"&nbsp;|\s+", " ", text).strip()
    text = escape_controls(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def gist(text: str, limit: int = 120) -> str:
    """`excerpt` that keeps the end too (a check's conclusion is often last)."""
    whole = excerpt(text, len(text) + 1)
    if len(whole) <= limit:
        return whole
    tail = limit * 2 // 5
    return whole[: limit - tail - 3].rstrip() + " … " + whole[-tail:].lstrip()


def causes_of(results: Iterable[CheckResult], info: RunInfo | None = None) -> list[Cause]:
    """One subject's failures by cause, worst first (fail-open, MUST, SHOULD), then biggest.

    ``info`` gives the subject file's own setting names and the run's mode for the advice.
    """
    groups: dict[tuple[str, str], list[CheckResult]] = {}
    for result in results:
        if result.status is Status.FAILED:
            groups.setdefault(_key(result), []).append(result)
    causes = [_cause(key, found, info) for (key, _), found in groups.items()]
    return sorted(causes, key=lambda c: (severity(c.worst), -len(c.results), c.title))


def _key(result: CheckResult) -> tuple[str, str]:
    rule = None if result.injected else classify(result)
    if rule is not None:
        return rule.key, ""
    answer = _normalised(excerpt(result.actual or result.expected))
    return f"answer:{answer}", "injected" if result.injected else ""


def _cause(key: str, found: list[CheckResult], info: RunInfo | None) -> Cause:
    first = found[0]
    rule = next((r for r in RULES if r.key == key), None)
    if rule is not None:
        subject = info.subject(first.subject) if info else None
        mode = info.mode if info else ""
        return Cause(key, rule.title, advice(key, subject, mode, first), tuple(found))
    title = excerpt(first.actual) if first.actual else "the check did not complete"
    injected = {r.injected for r in found}
    said = injected.pop() if len(injected) == 1 else INJECTED
    return Cause(key, title, "", tuple(found), said)


def same_answer(one: CheckResult, other: CheckResult) -> bool:
    """Whether two failures got the same answer, but for ports, ids and fingerprints."""
    texts = ((r.expected, r.actual, r.detail) for r in (one, other))
    return [_normalised(t) for t in next(texts)] == [_normalised(t) for t in next(texts)]


def _normalised(text: str) -> str:
    """The answer without the parts that differ between requests (ports, ids, fingerprints);
    a status (three digits) stays."""
    text = re.sub(r"\[REDACTED:[0-9a-f]+\]", "[REDACTED]", text)
    return re.sub(r"\d{4,}", "N", text).strip()
