"""No token or secret in the API's logs or response bodies.

RFC 6750 §5.3 and RFC 6819 §5.1.6 (do not leak bearer tokens), RFC 7662 §4 (introspection
responses are sensitive). The check drives the API through its success and error paths, then
looks for every secret the harness knows (tokens, client secrets, PATs, keys; raw and in their
wire encodings) in the answers and in every log record the API has written so far.
"""

from __future__ import annotations

import contextlib
import re

from harness.checks.base import Check, CheckContext, Reply, Sharing, Where
from harness.checks.rfc6750 import GARBAGE_TOKEN
from harness.logcapture import CapturedRecord
from harness.model.results import Level, Outcome, Status
from harness.model.routes import Route
from harness.model.skips import CheckSkipped
from harness.targets.base import Holder

MAX_SHOWN = 5
# The odd-request checks put a token in a URL on purpose (RFC 6750 §2.3); an access log that
# then shows the URL repeats what the client chose to expose, so that one form is not counted.
_QUERY_TOKEN = re.compile(r"access_token=[^&\s\"']*")


def _exercise(ctx: CheckContext) -> list[Reply]:
    """Requests along the success and refusal paths (a role-less token when there is one)."""
    token = ctx.token()
    private, scoped = ctx.routes.private, ctx.routes.scoped
    calls: list[tuple[Route, str | None]] = [
        (private, f"Bearer {token}"),
        (private, f"Bearer {GARBAGE_TOKEN}"),
        (private, "Bearer"),
        (private, None),
    ]
    if scoped is not None:
        calls.insert(1, (scoped, f"Bearer {token}"))
        # Live targets may have no role-less user; the paths above still run.
        with contextlib.suppress(CheckSkipped):
            calls.append((scoped, f"Bearer {ctx.token(Holder.NO_ROLE)}"))
    return [ctx.call(route, authorization) for route, authorization in calls]


def _body_leaks(ctx: CheckContext, replies: list[Reply]) -> list[str]:
    find = ctx.target.redactor.find
    found = []
    for reply in replies:
        headers = "\n".join(f"{k}: {v}" for k, v in reply.headers.items())
        for marker in find(reply.text + "\n" + headers):
            found.append(f"response (HTTP {reply.status}) contains {marker}")
    return found


def _log_leaks(ctx: CheckContext, records: list[CapturedRecord], shown: int) -> list[str]:
    """The log records holding a secret; the first ``shown`` with a redacted excerpt (only
    they are shown, and redacting a chatty API's every record is most of the check's time)."""
    redactor = ctx.target.redactor
    found: list[str] = []
    for record in records:
        if redactor.find(_QUERY_TOKEN.sub("access_token=", record.text)):
            where = f"log {record.logger} {record.level}"
            if len(found) < shown:
                where += f": {redactor.redact(record.text)[:200]!r}"
            found.append(where)
    return found


def no_secrets_leaked(ctx: CheckContext) -> Outcome:
    """Neither the answers nor the API's log records contain a known secret."""
    replies = _exercise(ctx)
    foreign = ctx.target.foreign_origins(ctx.variant.cell.mechanism)
    records = ctx.target.logs.records(exclude_origins=foreign)
    in_bodies = _body_leaks(ctx, replies)
    leaks = in_bodies + _log_leaks(ctx, records, MAX_SHOWN - len(in_bodies))
    expected = "no token, secret or key in responses or logs"
    scanned = f"{len(replies)} responses and {len(records)} log records scanned"
    if not leaks:
        return ctx.outcome(Status.PASSED, expected, f"none found ({scanned})")
    more = len(leaks) - MAX_SHOWN
    shown = "; ".join(leaks[:MAX_SHOWN]) + (f"; and {more} more" if more > 0 else "")
    return ctx.outcome(Status.FAILED, expected, f"{len(leaks)} leak(s) ({scanned})", shown)


CHECKS = (
    Check("RFC6750-5.3-no-secrets-leaked",
          "No token or secret in the API's logs or response bodies",
          "RFC 6750 §5.3; RFC 6819 §5.1.6", Level.MUST, Where.BOTH, no_secrets_leaked,
          sharing=Sharing.LAST),
)  # fmt: skip
