"""Observations as data, and the context an observation function runs in.

An observation records how the issuer itself answers a purpose-made request: the status and
RFC 6749 §5.2 error code for bad client credentials, the members of an RFC 7662 §2.2 answer,
and so on. Issuers differ there within (or beside) the RFCs, and a user moving from one issuer
to another cares. Observations never fail a run; one that cannot be made says why.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.model.matrix import Cell, Grant, Mechanism, TokenFormat, Variant, cells
from harness.model.results import Exchange
from harness.model.skips import CheckSkipped, NotApplicable
from harness.targets.base import Holder, IssuedToken, Target
from harness.targets.issuer_calls import Answer
from oauthkit import ClientAuth, ClientSettings

ROLE = "read:messages"
DESCRIPTION_SHOWN = 80
# The role holder's token is taken from the first grant the target has credentials for.
GRANT_PREFERENCE = (Grant.CLIENT_CREDENTIALS, Grant.JWT_PROFILE, Grant.PAT)


@dataclass(frozen=True)
class Observed:
    """What an observation function saw: a one-line value and the same as plain data."""

    value: str
    data: dict[str, Any] = field(default_factory=dict)
    detail: str = ""


@dataclass
class ObserveContext:
    """The target, and the issuer exchanges recorded so far (already redacted)."""

    target: Target
    exchanges: list[Exchange] = field(default_factory=list)

    def record(self, answer: Answer) -> Answer:
        """Keep the answer's exchange for the report and return the answer."""
        self.exchanges.append(answer.exchange)
        return answer

    def api_auth(self, auth: Mechanism | None = None) -> ClientAuth:
        """An API app's client authentication (Basic preferred)."""
        return self.target.issuer_calls.api_auth(auth)

    def introspect(self, token: str, auth: ClientAuth | None = None) -> Answer:
        """Introspect ``token`` as an API app, recording the exchange."""
        client = auth or self.api_auth()
        return self.record(self.target.issuer_calls.introspect(token, client))

    def unknown_token(self) -> str:
        """A random string the issuer never issued (registered, so it is shown redacted)."""
        token = "never-issued-" + secrets.token_urlsafe(16)
        self.target.redactor.add(token)
        return token

    def wrong_secret(self) -> str:
        """A random client secret that belongs to no client."""
        secret = "wrong-" + secrets.token_urlsafe(16)
        self.target.redactor.add(secret)
        return secret

    def token(
        self, holder: Holder = Holder.ROLE, token_format: TokenFormat | None = None,
        grants: tuple[Grant, ...] = GRANT_PREFERENCE,
    ) -> tuple[Grant, IssuedToken]:  # fmt: skip
        """The first of ``grants`` that gives a token of ``holder`` (and its grant)."""
        fmt = token_format or self.target.live_format
        problems = []
        for grant in grants:
            try:
                return grant, self.target.token(Variant(_cell_of(grant), fmt), holder)
            except CheckSkipped as exc:
                problems.append(exc.reason)
        # Each grant may fail for the same reason (one variable unset): say each reason once.
        raise NotApplicable("no token could be obtained: " + "; ".join(dict.fromkeys(problems)))

    def client_settings(self, grant: Grant) -> ClientSettings[Any]:
        """The service-user client settings for ``grant`` (NotConfigured when missing)."""
        return self.target.issuer_calls.client_settings(grant)


def _cell_of(grant: Grant) -> Cell:
    return next(c for c in cells() if c.grant is grant)


ObserveFn = Callable[[ObserveContext], Observed]


@dataclass(frozen=True)
class Observation:
    """One thing to record about the issuer, as data: the harness runs ``fn`` once per run."""

    id: str
    title: str
    rfc: str
    fn: ObserveFn = field(repr=False)


def said(answer: Answer) -> str:
    """An answer in one line: status, error code and description, challenge scheme."""
    if answer.status is None:
        return f"no answer ({answer.exchange.error})"
    text = f"HTTP {answer.status}"
    if answer.error:
        text += f" {answer.error}"
    description = (answer.body or {}).get("error_description")
    if isinstance(description, str) and description:
        text += f" ({description[:DESCRIPTION_SHOWN]})"
    if answer.challenge:
        text += f", WWW-Authenticate: {answer.challenge.split(' ', 1)[0]}"
    return text


def error_data(answer: Answer) -> dict[str, Any]:
    """The parts of an error answer a user cares about, as plain data."""
    body = answer.body or {}
    return {
        "status": answer.status,
        "error": answer.error,
        "error_description": body.get("error_description"),
        "www_authenticate": answer.challenge or None,
    }
