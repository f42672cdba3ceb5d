"""Observations at the introspection endpoint (RFC 7662).

§2.1: how the issuer refuses an API app's bad credentials (RFC 6749 §5.2 suggests 401
``invalid_client``; ZITADEL answers 400 ``unauthorized_client``). §2.2: the members of an
inactive answer, where the active answer carries roles, the shape of ``aud`` (RFC 7519 §4.1.3
allows a string or an array), whether a token for another audience is active (§4: the API
must check), and whether JWT access tokens (RFC 9068) are introspected at all.
"""

from __future__ import annotations

import json
from typing import Any

from harness.model.matrix import Grant, Mechanism, TokenFormat
from harness.model.skips import NotApplicable, NotConfigured
from harness.observations.base import ROLE, ObserveContext, Observed, error_data, said
from harness.targets.base import Holder
from harness.targets.issuer_calls import Answer
from oauthkit import ClientSecret, ClientSecretBasic


def bad_api_secret(ctx: ObserveContext) -> Observed:
    """The Basic API app's client id with a wrong secret (and a token never issued)."""
    settings = ctx.target.issuer_calls.apis.get(Mechanism.CLIENT_SECRET_BASIC)
    if settings is None:
        raise NotConfigured("API_CLIENT_SECRET", "the Basic API app is not configured")
    wrong = ClientSecretBasic(ClientSecret(settings.credentials.client_id, ctx.wrong_secret()))
    answer = ctx.introspect(ctx.unknown_token(), wrong)
    return Observed(said(answer), error_data(answer))


def inactive_shape(ctx: ObserveContext) -> Observed:
    """A token never issued, asked about with good credentials: the exact inactive answer."""
    answer = ctx.introspect(ctx.unknown_token())
    members = sorted(answer.body or {})
    data = {"status": answer.status, "members": members, "body": answer.body}
    if answer.status == 200 and answer.body == {"active": False}:
        return Observed('HTTP 200 {"active": false}, nothing else', data)
    return Observed(f"{said(answer)}, members: {', '.join(members) or '(none)'}", data)


def _active_answer(ctx: ObserveContext) -> tuple[Grant, dict[str, Any]]:
    grant, issued = ctx.token()
    answer = ctx.introspect(issued.access_token)
    if answer.body is None or answer.body.get("active") is not True:
        raise NotApplicable(f"the {grant.label} token did not introspect as active: {said(answer)}")
    return grant, answer.body


def _shape(value: Any) -> str:
    if isinstance(value, str):
        return "space-separated string" if " " in value else "string"
    return "object keyed by role" if isinstance(value, dict) else type(value).__name__


def _holds_role(value: Any) -> bool:
    if isinstance(value, str):
        return ROLE in value.split()
    return isinstance(value, dict | list) and ROLE in value


def roles_location(ctx: ObserveContext) -> Observed:
    """The role holder's token: which members of the active answer carry the role."""
    grant, body = _active_answer(ctx)
    found = {name: _shape(value) for name, value in body.items() if _holds_role(value)}
    data = {"grant": str(grant), "members": found, "scope": body.get("scope")}
    if not found:
        scope = json.dumps(body.get("scope"))
        return Observed(f"nowhere (the {grant.label} token's scope is {scope})", data)
    shown = "; ".join(f"{name} ({shape})" for name, shape in found.items())
    return Observed(shown, data, f"the {grant.label} service user's token")


def aud_shape(ctx: ObserveContext) -> Observed:
    """The role holder's token: ``aud`` as a string or an array."""
    grant, body = _active_answer(ctx)
    aud = body.get("aud")
    kind = "absent" if aud is None else ("an array" if isinstance(aud, list) else "a string")
    value = kind if aud is None else f"{kind}: {json.dumps(aud)}"
    return Observed(value, {"grant": str(grant), "type": kind, "aud": aud})


def other_audience(ctx: ObserveContext) -> Observed:
    """A token for another audience (OTHER_AUDIENCE_SCOPES), asked about by the API app."""
    grant, issued = ctx.token(Holder.OTHER_AUDIENCE, grants=(Grant.CLIENT_CREDENTIALS,
                                                             Grant.JWT_PROFILE))  # fmt: skip
    answer = ctx.introspect(issued.access_token)
    body = answer.body or {}
    data = {"grant": str(grant), "active": body.get("active"), "aud": body.get("aud")}
    if body.get("active") is True:
        aud = json.dumps(body.get("aud"))
        return Observed(f"active, aud {aud}: the API must check the audience itself", data)
    if body.get("active") is False:
        return Observed("inactive: the issuer checks the audience for the API", data)
    return Observed(said(answer), data)


def jwt_access_token(ctx: ObserveContext) -> Observed:
    """A JWT access token (RFC 9068), asked about by the API app."""
    grants = (Grant.CLIENT_CREDENTIALS, Grant.JWT_PROFILE)
    grant, issued = ctx.token(token_format=TokenFormat.JWT, grants=grants)
    if issued.access_token.count(".") != 2:
        raise NotApplicable(
            "the service users get opaque tokens; set INTROSPECT_JWT_ACCESS_TOKENS=true (an "
            "issuer that chooses per user) or JWT_ACCESS_TOKEN_SCOPES (one that chooses by "
            "request) to observe this"
        )
    answer = ctx.introspect(issued.access_token)
    active = (answer.body or {}).get("active")
    return Observed(_jwt_verdict(answer), {"grant": str(grant), "active": active,
                                           **error_data(answer)})  # fmt: skip


def _jwt_verdict(answer: Answer) -> str:
    active = (answer.body or {}).get("active")
    if answer.status == 200 and isinstance(active, bool):
        return f'introspected: HTTP 200, "active": {json.dumps(active)}'
    return f"refused: {said(answer)}"
