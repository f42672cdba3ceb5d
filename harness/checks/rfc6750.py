"""RFC 6750 checks: how the API reads the Authorization header and answers.

RFC 6750 §2.1 (the Bearer header and b64token syntax), §3 and §3.1 (the challenge and its
error codes), with RFC 9110 §11.1 (the scheme is case-insensitive). Plus the public route,
which must answer without any token.
"""

from __future__ import annotations

import json
from dataclasses import replace

from harness.checks.base import Check, CheckContext, Where
from harness.checks.expect import describe, expect_bearer_error, expect_status, graded
from harness.model.results import Level, Outcome, Status

GARBAGE_TOKEN = "not-a-token-this-issuer-ever-issued"
# Each is an Authorization value the RFC 6750 §2.1 grammar rejects.
MALFORMED_HEADERS = ("Bearer", "Bearer two tokens", "Bearer not{b64token}")


def public_without_token(ctx: CheckContext) -> Outcome:
    """``/api/public`` answers 200 to a request without credentials."""
    return expect_status(ctx, ctx.call(ctx.routes.public), 200)


def private_with_token(ctx: CheckContext) -> Outcome:
    """``/api/private`` answers 200 to the variant's token."""
    return expect_status(ctx, ctx.call(ctx.routes.private, f"Bearer {ctx.token()}"), 200)


def no_credentials(ctx: CheckContext) -> Outcome:
    """No Authorization header: 401 with a bare Bearer challenge."""
    return expect_bearer_error(ctx, ctx.call(ctx.routes.private), 401, None)


def other_scheme(ctx: CheckContext) -> Outcome:
    """Credentials in another scheme are no bearer credentials: 401 with a Bearer challenge."""
    reply = ctx.call(ctx.routes.private, "Basic dXNlcjpwYXNzd29yZA==")
    return expect_bearer_error(ctx, reply, 401, None)


def malformed_header(ctx: CheckContext) -> Outcome:
    """Each malformed Bearer header: 400 invalid_request.

    Graded: a 401 (``invalid_token`` or a bare challenge) refuses the request but names the
    wrong error, a SHOULD failure; a 2xx is fail-open; anything else fails at MUST level.
    """
    outcomes = [_malformed(ctx, value) for value in MALFORMED_HEADERS]
    failed = [o for o in outcomes if o.status is Status.FAILED]
    if not failed:
        return ctx.outcome(Status.PASSED, outcomes[0].expected, "400 invalid_request for each")
    worst = min(failed, key=lambda o: (not o.fail_open, o.level is Level.SHOULD))
    return replace(ctx.outcome(Status.FAILED, worst.expected, worst.actual, worst.detail),
                   level=worst.level, fail_open=worst.fail_open)  # fmt: skip


def _malformed(ctx: CheckContext, value: str) -> Outcome:
    reply = ctx.call(ctx.routes.private, value)
    outcome = expect_bearer_error(ctx, reply, 400, "invalid_request")
    if outcome.status is Status.FAILED and not outcome.fail_open and reply.status == 401:
        why = (f"Graded SHOULD: {value!r} was refused with 401, but RFC 6750 §3.1 names "
               "400 invalid_request for a malformed request.")  # fmt: skip
        return graded(outcome, Level.SHOULD, why)
    return outcome


def lower_case_scheme(ctx: CheckContext) -> Outcome:
    """``bearer <token>`` (lower case) is accepted: the scheme is case-insensitive."""
    return expect_status(ctx, ctx.call(ctx.routes.private, f"bearer {ctx.token()}"), 200)


def garbage_token(ctx: CheckContext) -> Outcome:
    """A token the issuer never issued: 401 invalid_token."""
    reply = ctx.call(ctx.routes.private, f"Bearer {GARBAGE_TOKEN}")
    return expect_bearer_error(ctx, reply, 401, "invalid_token")


def error_body_is_json(ctx: CheckContext) -> Outcome:
    """Whether the error body is JSON with ``error`` and ``error_description``: informational.

    RFC 6750 §3 carries the error in the ``WWW-Authenticate`` challenge and says nothing of the
    body (RFC 6749 §5.2's JSON errors are the token endpoint's), so this is recorded, never
    failed; our samples promise it.
    """
    reply = ctx.call(ctx.routes.private, f"Bearer {GARBAGE_TOKEN}")
    expected = 'informational: whether the body is {"error": ..., "error_description": ...}'
    try:
        body = json.loads(reply.text)
    except ValueError:
        body = None
    ok = (
        isinstance(body, dict)
        and body.get("error") == "invalid_token"
        and isinstance(body.get("error_description"), str)
    )
    told = "is" if ok else "is not"
    return ctx.outcome(Status.PASSED, expected, describe(reply), f"The body {told} such JSON.")


CHECKS = (
    Check("ROUTE-public-without-token", "/api/public answers 200 without a token",
          "RFC 6750 §1 (unprotected resource)", Level.MUST, Where.BOTH, public_without_token),
    Check("RFC6750-2.1-valid-token", "/api/private answers 200 with the token",
          "RFC 6750 §2.1", Level.MUST, Where.BOTH, private_with_token),
    Check("RFC6750-3.1-no-credentials",
          "No credentials: 401 with a bare Bearer challenge (no error code)",
          "RFC 6750 §3.1", Level.MUST, Where.BOTH, no_credentials),
    Check("RFC6750-3.1-other-scheme", "Another scheme (Basic): 401 with a Bearer challenge",
          "RFC 6750 §3.1; RFC 9110 §11.6.1", Level.MUST, Where.BOTH, other_scheme),
    Check("RFC6750-3.1-malformed-header",
          "Malformed Bearer header (no token, two tokens, bad characters): 400 invalid_request",
          "RFC 6750 §2.1, §3.1", Level.MUST, Where.BOTH, malformed_header),
    Check("RFC9110-11.1-scheme-case-insensitive", "Lower-case 'bearer' works",
          "RFC 9110 §11.1; RFC 6750 §2.1", Level.MUST, Where.BOTH, lower_case_scheme),
    Check("RFC6750-3.1-garbage-token", "A token the issuer never issued: 401 invalid_token",
          "RFC 6750 §3.1; RFC 7662 §2.2", Level.MUST, Where.BOTH, garbage_token),
    Check("RFC6750-3-error-body-json",
          "Informational: whether error bodies are JSON with error and error_description",
          "RFC 6750 §3", Level.MAY, Where.BOTH, error_body_is_json),
)  # fmt: skip
