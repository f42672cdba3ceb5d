"""Observations at the token endpoint (RFC 6749) and in the discovery document (RFC 8414).

RFC 6749 §5.2: a client that fails to authenticate gets ``invalid_client``, with 401 and a
challenge when it used the Authorization header (ZITADEL answers 400). §5.1: the members of a
successful token response (``scope`` is REQUIRED only when it differs from the request, and
ZITADEL never sends it). RFC 8414 §2: the introspection client authentication methods an issuer
advertises (absent means "determined by other means").
"""

from __future__ import annotations

import json
import secrets

from harness.model.matrix import Grant
from harness.model.skips import NotApplicable
from harness.observations.base import ObserveContext, Observed, error_data, said
from oauthkit import basic_authorization

CLIENT_CREDENTIALS = "client_credentials"


def unknown_client(ctx: ObserveContext) -> Observed:
    """Client credentials for a client id that does not exist, in a Basic header.

    Not the real service user with a wrong secret: against a live instance that could count
    towards a lockout policy for a user someone depends on.
    """
    settings = ctx.client_settings(Grant.CLIENT_CREDENTIALS)
    client_id = "harness-no-such-client-" + secrets.token_hex(4)
    form = {"grant_type": CLIENT_CREDENTIALS, "scope": " ".join(settings.scopes)}
    headers = {"Authorization": basic_authorization(client_id, ctx.wrong_secret())}
    answer = ctx.record(ctx.target.issuer_calls.token_request(form, headers))
    return Observed(said(answer), error_data(answer))


def token_response_members(ctx: ObserveContext) -> Observed:
    """The members of the role holder's token response, and its ``expires_in``."""
    grants = (Grant.CLIENT_CREDENTIALS, Grant.JWT_PROFILE)
    grant, issued = ctx.token(grants=grants)
    responses = [e for e in issued.exchanges if e.method == "POST" and e.status == 200]
    if not responses:
        raise NotApplicable(f"the {grant.label} token response was not recorded")
    ctx.exchanges.append(responses[-1])
    try:
        body = json.loads(responses[-1].response_body)
    except ValueError:
        raise NotApplicable("the token response is not JSON") from None
    members = sorted(body)
    data = {"grant": str(grant), "members": members, "expires_in": body.get("expires_in")}
    scope = "with scope" if "scope" in body else "no scope"
    value = f"{', '.join(members)} ({scope}, expires_in {body.get('expires_in')})"
    return Observed(value, data, f"the {grant.label} service user's token response")


def introspection_auth_methods(ctx: ObserveContext) -> Observed:
    """``introspection_endpoint_auth_methods_supported`` in the discovery document."""
    methods = ctx.target.issuer_calls.metadata().get(
        "introspection_endpoint_auth_methods_supported"
    )
    data = {"introspection_endpoint_auth_methods_supported": methods}
    if methods is None:
        return Observed("absent (RFC 8414 §2: then determined by other means)", data)
    return Observed(json.dumps(methods), data)
