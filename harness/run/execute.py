"""Running one check in one variant against a target, always yielding a `CheckResult`.

A check that does not apply (by mode or grant, or by raising `NotApplicable`) is reported as
not applicable, one missing a setting as not configured, never as passed (RFC 2119 levels are
reported, not judged, here). An unexpected exception is a failure whose text is redacted.
A failed result carries what the API logged and asked its issuer while the check ran (both
redacted), so the report can say why the API answered as it did. Everything a result carries is
bounded (``harness/model/bounds.py``): its texts, the first and last of its exchanges, the API's
first and last log lines; redacted before it is cut (``harness/redaction.py``).
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

from harness.checks.base import Check, CheckContext, Sharing
from harness.logcapture import CapturedRecord, LogMark, shown_log
from harness.model.bounds import (
    CLIENT_EXCHANGES,
    ISSUER_EXCHANGES,
    SHOWN_DETAIL,
    SHOWN_FIELD,
    first_and_last,
)
from harness.model.matrix import Variant
from harness.model.results import CheckResult, Exchange, Level, Outcome, Status
from harness.model.skips import NotApplicable, NotConfigured
from harness.targets.base import LogSource, Target

# A redacted token as recorded: its fingerprint names it in both the API's and issuer's exchanges.
_REDACTED = re.compile(r"\[REDACTED:[0-9a-f]+\]")
# After a failure, the API's output is read until it has been quiet for one interval.
SETTLE_INTERVAL_S = 0.05
SETTLE_POLLS = 10


def execute(check: Check, target: Target, variant: Variant, order: int = 0) -> CheckResult:
    """Run ``check`` in ``variant`` and describe what happened.

    When the target's API is a subject, the result carries its name, and a check its file
    lists under ``[expect] fail`` is a known deviation: reported, not failing the run.
    """
    began, started = time.time(), time.perf_counter()
    logged, mark = target.logs.mark(), target.issuer_traffic.mark()
    outcome = _subject_death(target, _outcome(check, target, variant))
    failed = outcome.status is Status.FAILED
    log = _api_log(target, variant, logged) if failed else ()
    calls = _own_calls(target.issuer_traffic.since(mark), outcome) if failed else ()
    subject, shown = target.subject, target.redactor.shown
    exchanges, left_out = _kept_exchanges(outcome.exchanges)
    known = subject is not None and check.id in subject.expect_fail
    outcome = _noted_if_known(outcome, known)
    return CheckResult(
        **_names(check, variant, order),
        level=outcome.level or check.level,
        check_level=check.level,
        status=outcome.status,
        duration_s=round(time.perf_counter() - started, 4),
        started_s=round(began, 4),
        expected=shown(outcome.expected, SHOWN_FIELD),
        actual=shown(outcome.actual, SHOWN_FIELD),
        detail=shown(outcome.detail, SHOWN_DETAIL),
        exchanges=exchanges,
        exchanges_left_out=left_out,
        fail_open=outcome.fail_open,
        subject=subject.name if subject is not None else "",
        known_deviation=known and outcome.status is Status.FAILED,
        variable=outcome.variable,
        api_log=log,
        issuer_exchanges=calls,
        injected=check.injects,
    )


def _own_calls(calls: tuple[Exchange, ...], outcome: Outcome) -> tuple[Exchange, ...]:
    """The issuer calls about the tokens this check sent (checks beside it make theirs), by
    the redacted tokens' fingerprints; all of them when it sent none."""
    sent = {
        m
        for x in outcome.exchanges
        for m in _REDACTED.findall(" ".join([*x.request_headers.values(), x.request_body]))
    }
    if sent:
        calls = tuple(c for c in calls if any(m in c.request_body for m in sent))
    return calls[-ISSUER_EXCHANGES:]


def _names(check: Check, variant: Variant, order: int) -> dict[str, Any]:
    """What names a result: its cell, variant, check and the check's place in the registry."""
    return dict(
        cell=variant.cell.number, variant=variant.slug, token_format=str(variant.token_format),
        check_id=check.id, title=check.title, rfc=check.rfc, family=check.family, order=order,
    )  # fmt: skip


def _noted_if_known(outcome: Outcome, known: bool) -> Outcome:
    """A known deviation that passed says so, so the subject file's list can be trimmed."""
    if not known or outcome.status is not Status.PASSED:
        return outcome
    note = "listed under [expect] fail in the subject file, but passed: remove it there"
    return replace(outcome, detail=" ".join(filter(None, (outcome.detail, note))))


def _kept_exchanges(exchanges: tuple[Exchange, ...]) -> tuple[tuple[Exchange, ...], int]:
    """The check's first and last exchanges with the API, and how many lay between."""
    first = CLIENT_EXCHANGES - CLIENT_EXCHANGES // 2
    kept, left_out = first_and_last(exchanges, first, CLIENT_EXCHANGES // 2)
    return tuple(kept), left_out


def _api_log(target: Target, variant: Variant, mark: LogMark) -> tuple[str, ...]:
    """The API's records written during the check (of its own origin), redacted and bounded."""
    written = _settled(target.logs, mark, target.foreign_origins(variant.cell.mechanism))
    return shown_log(written, target.redactor)


def _settled(logs: LogSource, mark: LogMark, foreign: frozenset[str]) -> list[CapturedRecord]:
    """The records once the API has stopped writing: a subject's output arrives through a
    pipe, a moment after its answer, so wait (briefly, on failures only) for it to settle."""
    seen = logs.mark()
    for _ in range(SETTLE_POLLS):
        time.sleep(SETTLE_INTERVAL_S)
        now = logs.mark()
        if now == seen:
            break
        seen = now
    return logs.since(mark, foreign)


def _outcome(check: Check, target: Target, variant: Variant) -> Outcome:
    reason = check.not_applicable_because(variant, target.mode)
    if reason is not None:
        return Outcome(Status.NOT_APPLICABLE, detail=reason)
    if target.mock is not None and check.sharing is not Sharing.LAST:
        target.mock.keys.settle_owed()  # what a check before it left the API to settle
    context = CheckContext(target, variant)
    try:
        return check.fn(context)
    except NotApplicable as exc:
        return Outcome(Status.NOT_APPLICABLE, detail=exc.reason)
    except NotConfigured as exc:
        detail = target.redactor.redact(exc.reason)
        return Outcome(Status.NOT_CONFIGURED, detail=detail, variable=exc.variable)
    except Exception as exc:
        failure = target.redactor.redact(f"{type(exc).__name__}: {exc}")
        return context.outcome(Status.FAILED, "the check to complete", failure, _hint(exc))


def _subject_death(target: Target, outcome: Outcome) -> Outcome:
    """A check during which the subject died fails (MUST), whatever it saw, with its output."""
    note = target.died_during_check(any(e.error for e in outcome.exchanges))
    if not note:
        return outcome
    return replace(
        outcome,
        status=Status.FAILED,
        level=Level.MUST,
        expected=outcome.expected or "the API to keep running",
        detail=" ".join(filter(None, (outcome.detail, note))),
    )


def _hint(exc: Exception) -> str:
    hint = getattr(exc, "hint", None)  # oauthkit's GrantError says what to check
    if isinstance(hint, str) and hint:
        return f"Hint: {hint}."
    cause = exc.__cause__ or exc.__context__
    return f"Caused by {type(cause).__name__}." if cause is not None else ""
