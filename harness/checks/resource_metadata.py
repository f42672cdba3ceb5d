"""Protected resource metadata (RFC 9728): what the API says of itself, held against what it does.

https://www.rfc-editor.org/rfc/rfc9728. The metadata is found as a client finds it: named in
the 401 challenge's ``resource_metadata`` (§5.1), else at the well-known URI formed from the
protected route's URL (§3.1: ``/.well-known/oauth-protected-resource`` between the host and the
path), else at the root one. An API that serves none and names none is not judged here. Its
``resource`` must be identical to the identifier the client used (§3.3: the URL requested, when
the challenge named the document; the URL the well-known URI was formed from, otherwise); its
``authorization_servers`` must name the issuer; ``bearer_methods_supported`` must say how the
API really takes tokens, and ``scopes_supported`` (RECOMMENDED) the role its scoped route needs.
The MCP checks (``mcp``) read the same documents through `found_metadata`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from harness.checks.base import Check, CheckContext, Where
from harness.checks.expect import describe, graded, is_success, parse_challenge
from harness.checks.lies import ONE_CELL
from harness.model.results import Level, Outcome, Status
from harness.model.routes import Route
from harness.model.skips import NotApplicable

WELL_KNOWN = "/.well-known/oauth-protected-resource"
SERVES_NONE = (
    "the API serves no protected resource metadata (RFC 9728) at the well-known URI, and its "
    "401 challenge names none"
)


@dataclass(frozen=True)
class Found:
    """Where the metadata was found, how, for which request, and the document (None: none)."""

    url: str
    named: bool  # by the challenge's resource_metadata (else: at a well-known URI)
    requested: str  # the URL of the protected route the client called
    document: dict[str, Any] | None


def metadata_at(ctx: CheckContext, url: str) -> dict[str, Any] | None:
    """The protected resource metadata at ``url`` (recorded), if it is a JSON object."""
    reply = ctx.get("", base_url=url)
    try:
        data = json.loads(reply.text) if reply.status == 200 else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def well_known(ctx: CheckContext, route: Route) -> tuple[str, dict[str, Any] | None]:
    """RFC 9728 §3.1's URI for the route's path, then the root one (MCP's fallback)."""
    base, path = ctx.api_url, urlsplit(route.path).path
    for url in (base + WELL_KNOWN + path, base + WELL_KNOWN):
        found = metadata_at(ctx, url)
        if found is not None:
            return url, found
    return base + WELL_KNOWN + path, None


def named_in(challenge: str) -> str:
    """The ``resource_metadata`` a challenge names ('' when none)."""
    parsed = parse_challenge(challenge)
    return parsed.params.get("resource_metadata", "") if parsed else ""


def found_metadata(ctx: CheckContext, route: Route | None = None) -> Found:
    """The metadata of ``route`` (the private route) as a client finds it; NotApplicable when
    the API serves none and names none."""
    route = route or ctx.routes.private
    reply = ctx.call(route)
    requested = ctx.api_url + urlsplit(route.path).path
    named = named_in(reply.challenge) if reply.status in (401, 403) else ""
    if named:
        return Found(named, True, requested, metadata_at(ctx, named))
    url, document = well_known(ctx, route)
    if document is None:
        raise NotApplicable(SERVES_NONE)
    return Found(url, False, requested, document)


def _document(ctx: CheckContext, found: Found, expected: str) -> dict[str, Any] | Outcome:
    if found.document is None:
        actual = f"the challenge names {found.url}, which serves no metadata document"
        return ctx.outcome(Status.FAILED, expected, actual)
    return found.document


def resource_identical(ctx: CheckContext) -> Outcome:
    """``resource`` identical to the identifier the client used (§3.3)."""
    found = found_metadata(ctx)
    owed = found.requested if found.named else found.url.replace(WELL_KNOWN, "", 1)
    expected = f"resource {owed!r} (RFC 9728 §3.3)"
    document = _document(ctx, found, expected)
    if isinstance(document, Outcome):
        return document
    resource = document.get("resource")
    how = "named by the 401 challenge" if found.named else "at the well-known URI"
    actual = f"metadata at {found.url} ({how}): resource {resource!r}"
    if resource == owed:
        return ctx.outcome(Status.PASSED, expected, actual)
    failed = ctx.outcome(Status.FAILED, expected, actual, "A client MUST NOT use this metadata.")
    if found.named and isinstance(resource, str) and _covers(resource, owed):
        why = (
            "Graded SHOULD: the resource is the origin or a path above the URL requested, which "
            "draft-ietf-oauth-rfc9728bis would allow; RFC 9728 §3.3 asks for the URL itself."
        )
        return graded(failed, Level.SHOULD, why)  # fmt: skip
    return failed


def _covers(resource: str, requested: str) -> bool:
    """Same origin, and the resource's path a prefix (by segments) of the requested one."""
    have, want = urlsplit(resource), urlsplit(requested)
    path = have.path.rstrip("/")
    same_origin = (have.scheme, have.netloc) == (want.scheme, want.netloc)
    return same_origin and (want.path == path or want.path.startswith(path + "/"))


def authorization_servers(ctx: CheckContext) -> Outcome:
    """The issuer among ``authorization_servers`` (§2)."""
    found = found_metadata(ctx)
    expected = f"authorization_servers naming the issuer {ctx.target.issuer}"
    document = _document(ctx, found, expected)
    if isinstance(document, Outcome):
        return document
    servers = document.get("authorization_servers")
    actual = f"metadata at {found.url}: authorization_servers {servers!r}"
    ok = isinstance(servers, list) and ctx.target.issuer in servers
    return ctx.outcome(Status.PASSED if ok else Status.FAILED, expected, actual)


def bearer_methods(ctx: CheckContext) -> Outcome:
    """``bearer_methods_supported`` says how the API takes tokens: each method listed works,
    a method not listed does not (§2; RFC 6750 §2.1, §2.2, §2.3)."""
    found = found_metadata(ctx)
    expected = "bearer_methods_supported listing exactly the ways the API takes a token"
    document = _document(ctx, found, expected)
    if isinstance(document, Outcome):
        return document
    methods = document.get("bearer_methods_supported")
    if methods is None:
        actual = f"metadata at {found.url} states no bearer_methods_supported (none implied)"
        return ctx.outcome(Status.PASSED, expected, actual)
    if not isinstance(methods, list) or not all(m in ("header", "body", "query") for m in methods):
        return ctx.outcome(Status.FAILED, expected, f"bearer_methods_supported {methods!r}")
    taken = {way: _takes(ctx, way) for way in ("header", "query", "body")}
    listed_refused = [m for m in methods if taken.get(m) is False]
    taken_unlisted = [w for w, ok in taken.items() if ok and w not in methods]
    actual = f"bearer_methods_supported {methods!r}; the API takes: " + (
        ", ".join(w for w, ok in taken.items() if ok) or "none"
    )
    if listed_refused:
        detail = f"Listed and refused: {', '.join(listed_refused)}."
        return ctx.outcome(Status.FAILED, expected, actual, detail)
    if taken_unlisted:
        failed = ctx.outcome(Status.FAILED, expected, actual)
        return graded(failed, Level.SHOULD, f"Taken, not listed: {', '.join(taken_unlisted)}.")
    return ctx.outcome(Status.PASSED, expected, actual)


def _takes(ctx: CheckContext, way: str) -> bool | None:
    """Whether the private route takes a valid token sent that way (None: it cannot be sent)."""
    token = ctx.target.fresh_token(ctx.variant).access_token
    route = ctx.routes.private
    if way == "header":
        return is_success(ctx.call(route, f"Bearer {token}"))
    if way == "query":
        return is_success(ctx.call(route, query=f"access_token={token}"))
    if ctx.is_mcp(route) or route.method in ("GET", "HEAD"):
        return None  # RFC 6750 §2.2: a form body, never with GET; an MCP body is JSON-RPC
    form = [("Content-Type", "application/x-www-form-urlencoded")]
    return is_success(ctx.call(route, headers=form, body=f"access_token={token}".encode()))


def scopes_supported(ctx: CheckContext) -> Outcome:
    """``scopes_supported`` (RECOMMENDED) of the scoped route's metadata holding its role (§2)."""
    if ctx.routes.scoped is None:
        raise NotApplicable("the subject file names no scoped route (routes.scoped)")
    found = found_metadata(ctx, ctx.routes.scoped)
    role = ctx.routes.role
    expected = f"scopes_supported holding {role!r}, the role {ctx.routes.scoped.label} needs"
    document = _document(ctx, found, expected)
    if isinstance(document, Outcome):
        return document
    scopes = document.get("scopes_supported")
    actual = f"metadata at {found.url}: scopes_supported {scopes!r}"
    ok = isinstance(scopes, list) and role in scopes
    return ctx.outcome(Status.PASSED if ok else Status.FAILED, expected, actual)


def challenge_names_metadata(ctx: CheckContext) -> Outcome:
    """The 401 challenge names the metadata's URL in ``resource_metadata`` (§5.1)."""
    if ctx.is_mcp(ctx.routes.private):
        raise NotApplicable("MCP-authz-401-resource-metadata judges it, at MCP's MUST")
    reply = ctx.call(ctx.routes.private)
    named = named_in(reply.challenge)
    expected = "a 401 whose challenge names resource_metadata, where the metadata is served"
    if named:
        served = metadata_at(ctx, named) is not None
        return ctx.outcome(Status.PASSED if served else Status.FAILED, expected, describe(reply))
    url, document = well_known(ctx, ctx.routes.private)
    if document is None:
        raise NotApplicable(SERVES_NONE)
    detail = f"The metadata is served at {url}, but the challenge does not say so."
    return ctx.outcome(Status.FAILED, expected, describe(reply), detail)


_RFC = "RFC 9728"
ONE_CELL_REASON = (
    "what the API says of itself does not depend on the grant: judged once per API, in the "
    "client-credentials cell"
)
_ONE: dict[str, Any] = {"grants": ONE_CELL, "other_grants_reason": ONE_CELL_REASON}
CHECKS = (
    Check("RFC9728-3.3-resource-identical",
          "Protected resource metadata: resource identical to the URL the client used",
          f"{_RFC} §3.3, §5.1", Level.MUST, Where.BOTH, resource_identical, **_ONE),
    Check("RFC9728-2-authorization-servers",
          "Protected resource metadata: authorization_servers names the issuer",
          f"{_RFC} §2", Level.MUST, Where.BOTH, authorization_servers, **_ONE),
    Check("RFC9728-2-bearer-methods",
          "Protected resource metadata: bearer_methods_supported as the API takes tokens",
          f"{_RFC} §2; RFC 6750 §2", Level.MUST, Where.BOTH, bearer_methods, **_ONE),
    Check("RFC9728-2-scopes-supported",
          "Protected resource metadata: scopes_supported holds the role the API needs",
          f"{_RFC} §2", Level.SHOULD, Where.BOTH, scopes_supported, **_ONE),
    Check("RFC9728-5.1-challenge-names-metadata",
          "The 401 challenge names the metadata in resource_metadata",
          f"{_RFC} §5.1", Level.SHOULD, Where.BOTH, challenge_names_metadata, **_ONE),
)  # fmt: skip
