"""Judging an API's answer against RFC 6750 §3: status, challenge, error code.

The challenge is parsed here, independently of the code under test (oauthkit builds
challenges; the harness must not trust it to read them). Grammar (RFC 9110 §11.6.1):
``challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from harness.checks.base import CheckContext, Reply
from harness.model.results import Level, Outcome, Status

_PARAM = re.compile(r'\s*([A-Za-z0-9_.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?')
SHOWN_BODY = 300


@dataclass(frozen=True)
class Challenge:
    """One parsed challenge: the scheme (lower-cased) and its parameters."""

    scheme: str
    params: dict[str, str]


def parse_challenge(value: str) -> Challenge | None:
    """The first challenge of a ``WWW-Authenticate`` value, or None when there is none."""
    value = value.strip()
    if not value:
        return None
    scheme, _, rest = value.partition(" ")
    params: dict[str, str] = {}
    for match in _PARAM.finditer(rest):
        raw = match.group(2)
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params[match.group(1).lower()] = raw
    return Challenge(scheme.lower(), params)


def describe(reply: Reply) -> str:
    """A one-line account of a reply, for the report's "actual" field."""
    if reply.status is None:
        return f"no answer ({reply.error})"
    parts = [f"HTTP {reply.status}"]
    if reply.challenge:
        parts.append(f"WWW-Authenticate: {reply.challenge}")
    # The redacted text, so the cut cannot leave part of a secret (the raw text is for judging).
    body = reply.shown_text.strip()
    if body:
        parts.append("body " + (body[:SHOWN_BODY] + "…" if len(body) > SHOWN_BODY else body))
    return "; ".join(parts)


def body_error(reply: Reply) -> str | None:
    """The ``error`` member of a JSON error body, or None."""
    try:
        data = json.loads(reply.text)
    except ValueError:
        return None
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, str) else None


def expect_status(ctx: CheckContext, reply: Reply, status: int) -> Outcome:
    """Passed when the reply has ``status``."""
    expected = f"HTTP {status}"
    if reply.status != status:
        return ctx.outcome(Status.FAILED, expected, describe(reply))
    return ctx.outcome(Status.PASSED, expected, describe(reply))


def expect_bearer_error(ctx: CheckContext, reply: Reply, status: int, error: str | None) -> Outcome:
    """Passed when the reply has ``status`` and a Bearer challenge with ``error``.

    ``error=None`` means a bare challenge: RFC 6750 §3.1 says a request without credentials
    SHOULD NOT be told an error code (our APIs promise it, so the harness holds them to it).
    A 2xx instead of the refusal is *fail-open*: the worst outcome, a MUST failure.
    """
    wanted = f'error="{error}"' if error else "no error code"
    expected = f"HTTP {status} with WWW-Authenticate: Bearer ({wanted})"
    actual = describe(reply)
    problem = _challenge_problem(reply, status, error)
    if problem and is_success(reply):
        return fail_open(ctx, expected, actual, problem)
    outcome = ctx.outcome(Status.FAILED if problem else Status.PASSED, expected, actual, problem)
    if problem == NO_ERROR_CODE:
        return graded(outcome, Level.SHOULD, BARE_REFUSAL)
    return outcome


NO_ERROR_CODE = "the challenge carries no error code"
BARE_REFUSAL = (
    "Graded SHOULD: the right status and a Bearer challenge, but RFC 6750 §3 says the "
    "challenge SHOULD name the error when a token was sent."
)


def is_success(reply: Reply) -> bool:
    """A 2xx: the API let the request in."""
    return reply.status is not None and 200 <= reply.status < 300


def fail_open(ctx: CheckContext, expected: str, actual: str, problem: str = "") -> Outcome:
    """A MUST failure marked fail-open: a 2xx where a refusal was owed."""
    detail = " ".join(filter(None, ("Fail-open: the API let in a request it had to refuse.",
                                    problem)))  # fmt: skip
    return replace(ctx.outcome(Status.FAILED, expected, actual, detail), level=Level.MUST,
                   fail_open=True)  # fmt: skip


def graded(outcome: Outcome, level: Level, why: str) -> Outcome:
    """A failure judged at ``level`` (not the check's own), with the reason appended."""
    return replace(outcome, level=level, detail=" ".join(filter(None, (outcome.detail, why))))


def _challenge_problem(reply: Reply, status: int, error: str | None) -> str:
    if reply.status != status:
        return f"the status is {reply.status}, not {status}"
    challenge = parse_challenge(reply.challenge)
    if challenge is None or challenge.scheme != "bearer":
        return "no Bearer challenge in WWW-Authenticate (RFC 6750 §3)"
    found = challenge.params.get("error")
    if error is None and found is not None:
        return f'the challenge carries error="{found}" although no credentials were sent'
    if error is not None and found is None:
        return NO_ERROR_CODE
    if error is not None and found != error:
        return f'the challenge carries error="{found}", not "{error}"'
    return ""


def expect_unavailable(ctx: CheckContext, reply: Reply) -> Outcome:
    """Passed on 503: the API could not get a trustworthy answer from the issuer.

    Graded: a 2xx is fail-open (MUST); another 5xx, or a 401/403 (an outage reported as a bad
    token), fails at SHOULD level; anything else (no answer, another 4xx) fails at MUST level.
    """
    expected = "HTTP 503 (never 200, never an unhandled 500)"
    actual = describe(reply)
    if reply.status == 503:
        return ctx.outcome(Status.PASSED, expected, actual)
    if is_success(reply):
        return fail_open(ctx, expected, actual, "The issuer gave no trustworthy answer.")
    failed = ctx.outcome(Status.FAILED, expected, actual)
    if reply.status is not None and 500 <= reply.status < 600:
        return graded(failed, Level.SHOULD, OTHER_5XX)
    if reply.status in (401, 403):
        return graded(failed, Level.SHOULD, OUTAGE_AS_BAD_TOKEN)
    return failed


OTHER_5XX = (
    "Graded SHOULD: a server error other than 503 still refuses the request, but tells the "
    "client nothing about retrying (RFC 9110 §15.6.4)."
)
OUTAGE_AS_BAD_TOKEN = (
    "Graded SHOULD: the request is refused, but an issuer outage is reported as a bad token, "
    "so clients throw away good tokens and users are told to sign in again."
)
