"""What MCP's authorization spec asks of an MCP server beyond RFC 6750 (subjects whose file says
``protocol = "mcp"``; https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization).

The protected call is MCP's streamable HTTP exchange (``initialize``, ``initialized``,
``tools/list``: ``harness/targets/mcp_session.py``), so every other check that applies runs on
it too: the token checks, the issuer faults, the lying issuer, the audience (a token for
another resource, RFC 8707 §2: ``RFC7662-4-wrong-audience``, ``RFC9068-4-wrong-audience``).
These add the MCP rules: where the protected resource metadata is (RFC 9728 §5.1 in the 401
challenge, or the well-known URI of RFC 9728 §3, read as ``resource_metadata`` reads it, whose
checks judge the document's members; it MUST name an authorization server); a valid token gets
the tool list; authorization on every request, not just the one that opened the session; a 403
whose challenge names the scope and the metadata.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from harness.checks.base import Check, CheckContext, Where
from harness.checks.expect import (
    describe,
    expect_bearer_error,
    expect_status,
    fail_open,
    graded,
    parse_challenge,
)
from harness.checks.lies import ONE_CELL, ONE_CELL_REASON
from harness.checks.resource_metadata import metadata_at, named_in, well_known
from harness.checks.roles import holder_without_role, scoped_route
from harness.model.results import Level, Outcome, Status
from harness.model.routes import Route
from harness.model.skips import NotApplicable
from harness.targets import mcp_session

_AUTHZ = "MCP 2025-11-25 authorization"


def _mcp(ctx: CheckContext, route: Route | None = None) -> Route:
    """The MCP endpoint (the private route, or ``route``); not applicable to other APIs."""
    endpoint = route or ctx.routes.private
    if not ctx.is_mcp(endpoint):
        raise NotApplicable("not an MCP server (the subject file does not say protocol = mcp)")
    return endpoint


def resource_metadata(ctx: CheckContext) -> Outcome:
    """No token: 401 whose challenge names ``resource_metadata``, a document naming an
    authorization server (without it in the challenge, a well-known one: SHOULD)."""
    endpoint = _mcp(ctx)
    reply = ctx.call(endpoint)
    if reply.status != 401:
        return expect_bearer_error(ctx, reply, 401, None)
    named = named_in(reply.challenge)
    url, document = (named, metadata_at(ctx, named)) if named else well_known(ctx, endpoint)
    expected = "401 naming resource_metadata, whose document lists an authorization server"
    servers = (document or {}).get("authorization_servers")
    actual = f"{describe(reply)}; metadata at {url}: " + (
        f"authorization_servers {servers!r}" if document is not None else "none"
    )
    if document is None or not isinstance(servers, list) or not servers:
        return ctx.outcome(Status.FAILED, expected, actual)
    if not named:
        why = "The challenge names no resource_metadata; the well-known URI serves the metadata."
        return graded(ctx.outcome(Status.FAILED, expected, actual), Level.SHOULD, why)
    return ctx.outcome(Status.PASSED, expected, actual)


def tools_list(ctx: CheckContext) -> Outcome:
    """A valid token: ``initialize`` and ``tools/list`` answered, the tools listed."""
    endpoint = _mcp(ctx)
    headers = [("Authorization", f"Bearer {ctx.token()}")]
    reply, steps = ctx.mcp(ctx.api_url + endpoint.path, headers)
    expected = "initialize, then tools/list answered with a JSON-RPC result holding tools"
    result = mcp_session.result_of(steps[-1]) if len(steps) == 3 else None
    if result is None or not isinstance(result.get("tools"), list):
        return ctx.outcome(Status.FAILED, expected, describe(reply))
    names = [t.get("name") for t in result["tools"] if isinstance(t, dict)]
    return ctx.outcome(Status.PASSED, expected, f"HTTP {reply.status}; tools {names}")


def every_request(ctx: CheckContext) -> Outcome:
    """``initialize`` with a valid token, then the session's requests without one: 401."""
    endpoint = _mcp(ctx)
    token = ctx.target.fresh_token(ctx.variant).access_token
    reply, steps = ctx.mcp(ctx.api_url + endpoint.path, [("Authorization", f"Bearer {token}")], [])
    expected = "HTTP 401 for a session's request without a token (every request carries one)"
    if len(steps) == 1:
        return ctx.outcome(Status.FAILED, expected, f"initialize refused: {describe(reply)}")
    if reply.status is not None and 200 <= reply.status < 300:
        detail = "The server took the session for the token: MCP asks for it on every request."
        return fail_open(ctx, expected, describe(reply), detail)
    # Whether the challenge carries an error code is RFC6750-3.1-no-credentials' business.
    return dataclasses.replace(expect_status(ctx, reply, 401), expected=expected)


def names_scope(ctx: CheckContext) -> Outcome:
    """A token without the role on the scoped endpoint: 403 ``insufficient_scope`` whose
    challenge names the scope and ``resource_metadata``."""
    endpoint = _mcp(ctx, scoped_route(ctx))
    reply = ctx.call(endpoint, f"Bearer {ctx.token(holder_without_role(ctx))}")
    outcome = expect_bearer_error(ctx, reply, 403, "insufficient_scope")
    if outcome.status is Status.FAILED:
        return outcome
    challenge = parse_challenge(reply.challenge)
    params = challenge.params if challenge else {}
    missing = [
        name for name, ok in (
            (f'scope="{ctx.routes.role}"', ctx.routes.role in params.get("scope", "").split()),
            ("resource_metadata", bool(params.get("resource_metadata"))),
        ) if not ok
    ]  # fmt: skip
    expected = f'403 insufficient_scope naming scope="{ctx.routes.role}" and resource_metadata'
    if missing:
        failed = ctx.outcome(Status.FAILED, expected, describe(reply))
        return graded(failed, Level.SHOULD, f"The challenge lacks {' and '.join(missing)}.")
    return ctx.outcome(Status.PASSED, expected, describe(reply))


_ONE: dict[str, Any] = {"grants": ONE_CELL, "other_grants_reason": ONE_CELL_REASON}
CHECKS = (
    Check("MCP-authz-401-resource-metadata",
          "No token: 401 naming resource_metadata, a document listing an authorization server",
          f"RFC 9728 §5.1, §3; {_AUTHZ}: server discovery", Level.MUST, Where.BOTH,
          resource_metadata, **_ONE),
    Check("MCP-transport-tools-list",
          "A valid token: initialize, then tools/list answered with the tools",
          "MCP 2025-11-25 transports, lifecycle; RFC 6750 §2.1", Level.MUST, Where.BOTH,
          tools_list, **_ONE),
    Check("MCP-authz-every-request",
          "The session opened with a token, its next requests without one: 401",
          f"{_AUTHZ}: token requirements; RFC 6750 §3.1", Level.MUST, Where.BOTH,
          every_request, **_ONE),
    Check("MCP-authz-403-names-scope",
          "Without the role: 403 insufficient_scope naming the scope and resource_metadata",
          f"RFC 6750 §3.1; {_AUTHZ}: scope challenge handling", Level.SHOULD, Where.BOTH,
          names_scope, **_ONE),
)  # fmt: skip
