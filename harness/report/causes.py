"""One cause behind many failures: group failed checks so a report says it once.

When the issuer is unreachable, or refuses the API's own credentials (RFC 7662 §2.1), or
refuses the service user's grant (RFC 6749 §5.2), dozens of checks fail for that one reason.
A cause is named from what the failures carry (the API's log lines, its calls to the issuer,
the harness's own error text); failures that share no named cause but got the very same answer
are grouped by that answer. A group explains "many" failures only when it spans several
checks: the one check that makes the issuer unreachable on purpose is not a shared cause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from harness.model.results import CheckResult, Status

# A group is worth a banner from this many failures of at least two different checks.
MIN_FAILURES = 3
MIN_CHECKS = 2


@dataclass(frozen=True)
class Rule:
    """A known cause: its key, what the banner says, and the evidence that points to it."""

    key: str
    title: str
    advice: str
    pattern: re.Pattern[str]


RULES = (
    Rule(
        "issuer-unreachable",
        "The issuer could not be reached",
        "Check ZITADEL_DOMAIN and that the issuer is up and reachable from this machine.",
        re.compile(
            r"ConnectError|ConnectTimeout|connection refused|All connection attempts failed"
            r"|issuer (is )?unreachable|Name or service not known",
            re.IGNORECASE,
        ),
    ),
    Rule(
        "api-credentials-refused",
        "The issuer refused the API's own credentials",
        "Check the API app's settings: API_PRIVATE_KEY_FILE for api_jwt, API_CLIENT_ID and "
        "API_CLIENT_SECRET for api_basic_auth (RFC 7662 §2.1).",
        re.compile(
            r"own credentials|introspect\S* -> HTTP 40[01].*(invalid_client|unauthorized_client)",
            re.IGNORECASE,
        ),
    ),
    Rule(
        "grant-refused",
        "The issuer refused the service user's token request",
        "Check the service user's settings (CLIENT_PRIVATE_KEY_FILE_PATH, CLIENT_ID and "
        "CLIENT_SECRET, PERSONAL_ACCESS_TOKEN) and the scopes it asks for (RFC 6749 §5.2).",
        re.compile(r"token endpoint answered", re.IGNORECASE),
    ),
)


@dataclass(frozen=True)
class Cause:
    """Failures explained by one cause."""

    key: str
    title: str
    advice: str
    results: tuple[CheckResult, ...]

    @property
    def checks(self) -> tuple[str, ...]:
        """The distinct check ids involved, in order of appearance."""
        return tuple(dict.fromkeys(r.check_id for r in self.results))


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


def shared_causes(results: Iterable[CheckResult]) -> list[Cause]:
    """Causes that explain many failures, biggest first."""
    groups: dict[str, list[CheckResult]] = {}
    titles: dict[str, tuple[str, str]] = {}
    for result in results:
        if result.status is not Status.FAILED:
            continue
        rule = classify(result)
        if rule is not None:
            key, title, advice = rule.key, rule.title, rule.advice
        elif result.actual:
            key = "answer:" + _normalised(result.actual)
            title, advice = f"Many checks got the same answer: {result.actual}", ""
        else:
            continue
        groups.setdefault(key, []).append(result)
        titles.setdefault(key, (title, advice))
    causes = [
        Cause(key, *titles[key], tuple(found))
        for key, found in groups.items()
        if len(found) >= MIN_FAILURES and len({r.check_id for r in found}) >= MIN_CHECKS
    ]
    return sorted(causes, key=lambda c: -len(c.results))


def _normalised(text: str) -> str:
    """The answer without the parts that differ between requests (ports, ids, fingerprints)."""
    text = re.sub(r"\[REDACTED:[0-9a-f]+\]", "[REDACTED]", text)
    return re.sub(r"\d+", "N", text).strip()
