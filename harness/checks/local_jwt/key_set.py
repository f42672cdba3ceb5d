"""The key set (RFC 7517 §5) as issuers run it: rotated without notice, sometimes down.

A flood of made-up ``kid`` values must not become a flood of JWKS fetches; a rotated key is
accepted without a restart (within the API's refresh cooldown); with the JWKS endpoint down a
cached key still passes and an unknown one gets 503, since the API cannot know (a 401 for good
fails at SHOULD, as every outage answered as a bad token does).
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from collections.abc import Callable

import jwt

from harness.checks.base import CheckContext, Reply
from harness.checks.expect import describe, expect_status, expect_unavailable
from harness.checks.local_jwt.tokens import (
    FLOOD_MAX_FETCHES,
    FLOOD_REQUESTS,
    POLL_S,
    bearer,
    claims_of,
    header_of,
    key_deadline,
    signing_keys,
    stranger_key,
    valid_jwt,
)
from harness.model.results import Outcome, Status


def _warm(ctx: CheckContext, token: str) -> Outcome | None:
    """Let the API fetch the keys with a valid token; a failed outcome if it refuses it."""
    reply = ctx.call(ctx.routes.private, bearer(token))
    return None if reply.status == 200 else expect_status(ctx, reply, 200)


def unknown_kid_flood(ctx: CheckContext) -> Outcome:
    """Tokens with made-up kids cause at most a few JWKS fetches, not one each."""
    keys, token = signing_keys(ctx), valid_jwt(ctx)
    if (refused := _warm(ctx, token)) is not None:
        return refused
    claims, header = claims_of(token), header_of(token)
    before = keys.jwks_calls
    statuses: set[int | None] = set()
    for _ in range(FLOOD_REQUESTS):
        forged = jwt.encode(
            claims, stranger_key(), algorithm="RS256",
            headers={**header, "kid": "random-" + secrets.token_hex(8)},
        )  # fmt: skip
        statuses.add(_status(ctx, forged))
    fetched = keys.jwks_calls - before
    expected = f"at most {FLOOD_MAX_FETCHES} JWKS fetches for {FLOOD_REQUESTS} unknown kids"
    actual = f"{fetched} JWKS fetch(es); answers {sorted(s or 0 for s in statuses)}"
    opened = any(s is not None and 200 <= s < 300 for s in statuses)
    ok = fetched <= FLOOD_MAX_FETCHES and not opened
    return dataclasses.replace(
        ctx.outcome(Status.PASSED if ok else Status.FAILED, expected, actual), fail_open=opened
    )


def _status(ctx: CheckContext, token: str) -> int | None:
    """The API's status for ``token``, not recorded (many requests, one shape)."""
    return ctx.call(ctx.routes.private, bearer(token), record=False).status


def _poll_status(ctx: CheckContext, token: str, done: Callable[[int | None], bool]) -> float:
    """GET with ``token`` until ``done(status)`` or the deadline; the seconds waited."""
    started, deadline = time.monotonic(), key_deadline(ctx)
    while not done(_status(ctx, token)):
        if time.monotonic() - started >= deadline:
            break
        time.sleep(POLL_S)
    return time.monotonic() - started


def _poll(ctx: CheckContext, token: str, done: Callable[[int | None], bool]) -> tuple[Reply, float]:
    """Poll as `_poll_status`, then GET once more, recorded: the reply and the wait."""
    waited = _poll_status(ctx, token, done)
    return ctx.call(ctx.routes.private, bearer(token)), waited


def _settle(ctx: CheckContext, token: str) -> None:
    """Wait until the API accepts ``token`` again, so later checks find it as before (run by
    the next check that talks to the API: `SigningKeys.owe`)."""
    _poll_status(ctx, token, lambda status: status == 200)


def _new_key_token(ctx: CheckContext) -> tuple[str, str]:
    """The issuer rotates its key as this check sees it: a new key in its JWKS, and a new token
    (the issuer's claims, issued now) signed with it; the issuer's other tokens keep the old
    key, so checks running beside this one are not disturbed. The key's ``kid``, the token."""
    keys = signing_keys(ctx)
    issued = ctx.target.fresh_token(ctx.variant).access_token
    kid = keys.publish_new()
    header = {name: value for name, value in header_of(issued).items() if name != "kid"}
    return kid, keys.sign(claims_of(issued), header, kid=kid)


def key_rotation(ctx: CheckContext) -> Outcome:
    """After the issuer rotates its key, new tokens are accepted without a restart, old ones too."""
    old = valid_jwt(ctx)
    if (refused := _warm(ctx, old)) is not None:
        return refused
    kid, new = _new_key_token(ctx)
    reply, waited = _poll(ctx, new, lambda status: status == 200)
    expected = f"HTTP 200 for a token signed with the new key {kid} within {key_deadline(ctx):g} s"
    if reply.status != 200:
        return ctx.outcome(Status.FAILED, expected, describe(reply))
    still = ctx.call(ctx.routes.private, bearer(old))
    if still.status != 200:
        return ctx.outcome(
            Status.FAILED, "HTTP 200 for a token of the old key, still published", describe(still)
        )
    return ctx.outcome(Status.PASSED, expected, f"HTTP 200 after {waited:.1f} s; old key too")


def jwks_down_cached_key(ctx: CheckContext) -> Outcome:
    """With the JWKS endpoint down, a token signed with a key the API has cached: 200."""
    keys, token = signing_keys(ctx), valid_jwt(ctx)
    if (refused := _warm(ctx, token)) is not None:
        return refused
    with keys.jwks_down():
        return expect_status(ctx, ctx.call(ctx.routes.private, bearer(token)), 200)


def jwks_down_unknown_key(ctx: CheckContext) -> Outcome:
    """With the JWKS endpoint down, a token signed with a key the API has not seen: 503."""
    keys, token = signing_keys(ctx), valid_jwt(ctx)
    if (refused := _warm(ctx, token)) is not None:
        return refused
    with keys.jwks_down():
        # The key is published once its set is down: a fetch for another check beside this
        # one (another kid, a rotation) could otherwise hand it to the API before the outage.
        kid, new = _new_key_token(ctx)
        # Within its refresh cooldown an API may still call the kid unknown (401); wait it out.
        reply, _ = _poll(ctx, new, lambda status: status != 401)
    # The API takes the key once its cooldown allows: the next check waits for that, if any.
    keys.owe(lambda: _settle(ctx, new))
    expected = f"HTTP 503 for a token of the unseen key {kid} (never 200, never 401 for good)"
    # Graded as every outage is: a 401 or 403 (the outage taken for a bad token) or another
    # 5xx fails at SHOULD, a 2xx is fail-open, anything else fails at MUST.
    return dataclasses.replace(expect_unavailable(ctx, reply), expected=expected)
