"""Revoking at a live issuer (RFC 7009): only a revocation confirmed by introspection counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from harness.model.matrix import Mechanism
from harness.model.results import Exchange
from harness.model.skips import NotApplicable
from harness.targets.base import IssuedToken
from harness.targets.issuer_calls import Answer
from harness.targets.live_revocation import revoke_and_confirm

GRANT = Exchange("POST", "http://issuer.test/token", status=200)


def _answer(status: int | None, body: dict[str, Any] | None = None, url: str = "") -> Answer:
    return Answer(Exchange("POST", url or "http://issuer.test/x", status=status), status, body)


@dataclass
class _Client:
    client_id: str = "api-app"


@dataclass
class _Calls:
    revocation: Answer
    introspection: Answer
    revoked: list[str] = field(default_factory=list)

    def api_auth(self, auth: Mechanism | None = None) -> _Client:
        return _Client()

    def revoke(self, token: str, auth: _Client) -> Answer:
        self.revoked.append(token)
        return self.revocation

    def introspect(self, token: str, auth: _Client) -> Answer:
        return self.introspection


def _revoke(calls: _Calls) -> IssuedToken:
    issued = IssuedToken("fresh-token-123456", recorded=(GRANT,))
    return revoke_and_confirm(calls, issued, Mechanism.CLIENT_SECRET_BASIC)  # type: ignore[arg-type]


def test_a_confirmed_revocation_keeps_the_grant_revocation_and_confirmation_exchanges() -> None:
    calls = _Calls(_answer(200, url="http://issuer.test/revoke"),
                   _answer(200, {"active": False}, "http://issuer.test/introspect"))  # fmt: skip
    revoked = _revoke(calls)
    assert calls.revoked == ["fresh-token-123456"]
    assert [e.url for e in revoked.exchanges] == [
        "http://issuer.test/token", "http://issuer.test/revoke", "http://issuer.test/introspect",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("revocation", "introspection", "reason"),
    [
        (_answer(400, {"error": "invalid_client"}), _answer(200, {"active": False}),
         "refused to revoke a token at the request of api-app (HTTP 400 invalid_client)"),
        (_answer(None), _answer(200, {"active": False}), "refused to revoke"),
        (_answer(200), _answer(200, {"active": True}), "still does not say the token is inactive"),
        (_answer(200), _answer(401, {"error": "invalid_client"}), "HTTP 401 invalid_client"),
    ],
)  # fmt: skip
def test_rfc7009_a_revocation_the_issuer_refuses_or_does_not_perform_is_not_applicable(
    revocation: Answer, introspection: Answer, reason: str
) -> None:
    with pytest.raises(NotApplicable) as raised:
        _revoke(_Calls(revocation, introspection))
    assert reason in raised.value.reason
