"""Revoking a token at a live issuer (RFC 7009 §2.1) and confirming it (RFC 7662 §2.2).

The harness revokes as the API app of the cell, the client that will introspect the token. RFC
7009 §2.1 lets an issuer accept revocations only from the client the token was issued to, and
§2.2 lets it answer 200 whether or not it revoked anything, so the harness asks the
introspection endpoint afterwards: only a token the issuer now calls inactive is used. Anything
else makes the revoked-token check "not applicable" with the issuer's answer as the reason.
"""

from __future__ import annotations

import dataclasses

from harness.model.matrix import Mechanism
from harness.model.skips import NotApplicable
from harness.targets.base import IssuedToken
from harness.targets.issuer_calls import Answer, IssuerCalls


def revoke_and_confirm(calls: IssuerCalls, issued: IssuedToken, auth: Mechanism) -> IssuedToken:
    """``issued``, revoked as the ``auth`` API app and confirmed inactive by introspection."""
    client = calls.api_auth(auth)
    revoked = calls.revoke(issued.access_token, client)
    if revoked.status != 200:
        raise NotApplicable(
            f"the issuer refused to revoke a token at the request of {client.client_id} "
            f"({_said(revoked)}); RFC 7009 §2.1 allows it to accept revocations only from "
            "the client the token was issued to"
        )
    confirmed = calls.introspect(issued.access_token, client)
    if confirmed.body is None or confirmed.body.get("active") is not False:
        raise NotApplicable(
            "the issuer answered 200 to the revocation but introspection still does not say "
            f"the token is inactive ({_said(confirmed)}); RFC 7009 §2.2 allows that answer "
            "for a revocation it did not perform"
        )
    recorded = (*issued.recorded, revoked.exchange, confirmed.exchange)
    return dataclasses.replace(issued, recorded=recorded)


def _said(answer: Answer) -> str:
    if answer.status is None:
        return f"no answer: {answer.exchange.error}"
    return f"HTTP {answer.status}" + (f" {answer.error}" if answer.error else "")
