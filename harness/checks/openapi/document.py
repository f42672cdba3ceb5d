"""Reading the API's OpenAPI document for a check, and judging many operations as one result.

The document is where the subject file's ``openapi`` key says (the samples: FastAPI's
``/openapi.json``), fetched from the API or read from the file; parsed operations are cached by
the document's text, so each check pays one GET. Each check sends one request (or a few) per
operation and gives one result: passed when every operation answered as owed, else the worst
failure (fail-open first), naming each operation that failed; their exchanges are kept, the
others' are not (a report keeps six per check).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from harness.checks.base import CheckContext, Reply
from harness.checks.openapi.operations import Guard, Operation, operations_of
from harness.model.results import Level, Outcome, Status
from harness.model.skips import NotApplicable
from harness.subjects.openapi import SAMPLES_DOCUMENT, OpenApiError, OpenApiSource, parse_document
from harness.targets.recording import api_exchange

UNREADABLE = "the OpenAPI document could not be used (OPENAPI-document-valid says why)"
_SHOWN_FAILURES = 8


def source_of(ctx: CheckContext) -> OpenApiSource:
    """Where the API's OpenAPI document is; NotApplicable when the subject file names none."""
    subject = ctx.target.subject
    if subject is None:
        return OpenApiSource(path=SAMPLES_DOCUMENT)
    if subject.openapi is None:
        raise NotApplicable("the subject file names no OpenAPI document (openapi = ...)")
    return subject.openapi


def read_operations(ctx: CheckContext, record: bool = False) -> tuple[Operation, ...]:
    """The document's operations; `OpenApiError` saying why there are none to be had."""
    source = source_of(ctx)
    if source.file is not None:
        return _parsed(Path(source.file).read_text(encoding="utf-8-sig"))
    if record:
        reply = ctx.get(source.path)
    else:
        answer = ctx.target.http.fetch("GET", ctx.api_url + source.path, [], b"")
        reply = Reply(answer.status, answer.headers, answer.text)
    if reply.status != 200:
        got = f"HTTP {reply.status}" if reply.status is not None else reply.error
        raise OpenApiError(f"could not be fetched ({got})")
    return _parsed(reply.text)


def bearer_operations(ctx: CheckContext) -> tuple[Operation, ...]:
    """The operations secured by a bearer token; NotApplicable when there are none."""
    try:
        found = tuple(o for o in read_operations(ctx) if o.guard is Guard.BEARER)
    except OpenApiError:
        raise NotApplicable(UNREADABLE) from None
    if not found:
        raise NotApplicable("the OpenAPI document declares no operation secured by a bearer token")
    return found


_parsing = threading.Lock()


def _parsed(text: str) -> tuple[Operation, ...]:
    # One parse per document: the checks beside each other ask for it at once, and each
    # would otherwise validate it anew (a tenth of a second of CPU each).
    with _parsing:
        return _parsed_once(text)


@lru_cache(maxsize=16)
def _parsed_once(text: str) -> tuple[Operation, ...]:
    return operations_of(parse_document(text))


@dataclass(frozen=True)
class Answer:
    """One operation's answer to one request, judged."""

    label: str
    reply: Reply
    outcome: Outcome


def ask(
    ctx: CheckContext,
    operation: Operation,
    authorization: str | None,
    judge: Callable[[Reply], Outcome],
    *,
    body: bytes | None = None,
    kind: str = "",
) -> Answer:
    """Send the operation's request with ``authorization`` (and ``body`` instead of its own),
    judge the reply, and keep the exchange when it failed."""
    headers = [("Content-Type", "application/json")] if body is not None else []
    request = operation.request
    reply = ctx.call(request, authorization, headers=headers, body=body, record=False)
    outcome = judge(reply)
    if outcome.status is Status.FAILED:
        sent = dict(request.headers_with(headers))
        if authorization is not None:
            sent["Authorization"] = authorization
        shown = (request.body if body is None else body).decode("utf-8", "replace")
        exchange = ((request.method, ctx.api_url + request.path, sent, shown),
                    (reply.status, reply.headers, reply.shown_text, reply.error))  # fmt: skip
        ctx.exchanges.append(api_exchange(ctx.target.redactor, *exchange))
    return Answer(operation.label + (f" ({kind})" if kind else ""), reply, outcome)


def judged(ctx: CheckContext, expected: str, answers: Sequence[Answer], sent: str) -> Outcome:
    """One outcome for every operation's answer: the worst failure, naming each that failed."""
    failed = [a for a in answers if a.outcome.status is Status.FAILED]
    if not failed:
        asked = ", ".join(dict.fromkeys(a.label.split(" (")[0] for a in answers))
        return ctx.outcome(Status.PASSED, expected, f"{len(answers)} {sent}, each as owed: {asked}")
    failed.sort(key=lambda a: (not a.outcome.fail_open, a.outcome.level is not Level.MUST))
    worst = failed[0].outcome
    shown = "; ".join(f"{a.label}: {short(a.reply)}" for a in failed[:_SHOWN_FAILURES])
    more = len(failed) - _SHOWN_FAILURES
    actual = f"{len(failed)} of {len(answers)} {sent} failed: {shown}" + (
        f"; and {more} more" if more > 0 else ""
    )
    opened = [a.label for a in failed if a.outcome.fail_open]
    detail = f"Fail-open on: {', '.join(opened)}. " if opened else ""
    outcome = ctx.outcome(Status.FAILED, expected, actual, detail + worst.detail)
    return replace(outcome, level=worst.level, fail_open=worst.fail_open)


def short(reply: Reply) -> str:
    """The status and challenge of a reply, in a few words."""
    if reply.status is None:
        return f"no answer ({reply.error})"
    return f"HTTP {reply.status}" + (f" ({reply.challenge})" if reply.challenge else "")
