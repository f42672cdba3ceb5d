"""Checks as data, and the context a check function runs in.

A check is an id naming the rule it checks (e.g. ``RFC6750-3.1-no-credentials``), a title, the
RFC section, a level (RFC 2119 §1 MUST or §3 SHOULD), where it applies (mock, live, both), the
grants it applies to, and a function from a `CheckContext` to an `Outcome`. The context
records every HTTP exchange with the API, redacted, so a failure shows what was sent and seen.
For a subject whose protocol is ``mcp``, a request to its private or scoped route is the MCP
call of ``harness/targets/mcp_session.py`` (``initialize``, ``initialized``, ``tools/list``);
its reply is that call's last answer, and each of its requests is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from harness.checks.sharing import Sharing as Sharing  # checks name both with their Check
from harness.checks.sharing import Where as Where
from harness.model.bounds import SHOWN_BODY
from harness.model.matrix import Grant, Mechanism, Mode, TokenFormat, Variant
from harness.model.results import Exchange, Level, Outcome, Status
from harness.model.routes import Header, Route, Routes
from harness.model.skips import NotApplicable
from harness.targets import mcp_session
from harness.targets.base import Holder, IssuedToken, Target
from harness.targets.recording import api_exchange

MCP_BODY = "an MCP request's body is its JSON-RPC message: no token can ride in a form body"


@dataclass(frozen=True)
class Reply:
    """The API's answer to one request, or the transport error instead."""

    status: int | None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    text: str = ""
    error: str = ""
    # The start of the body as a report may show it: redacted, control characters escaped.
    shown_text: str = ""

    @property
    def challenge(self) -> str:
        """The ``WWW-Authenticate`` value ('' when absent)."""
        return str(self.headers.get("www-authenticate", ""))


@dataclass
class CheckContext:
    """What a check function works with: the target, the variant, and a recorder."""

    target: Target
    variant: Variant
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def grant(self) -> Grant:
        """The grant of the variant's cell."""
        return self.variant.cell.grant

    @property
    def routes(self) -> Routes:
        """The API's routes (a subject's own, or the samples')."""
        return self.target.routes

    @property
    def api_url(self) -> str:
        """Base URL of the API this cell introspects with."""
        return self.target.api_url(self.variant.cell.mechanism)

    def token(self, holder: Holder = Holder.ROLE) -> str:
        """An access token of ``holder`` for the variant's grant."""
        return self.target.token(self.variant, holder).access_token

    def issued(self, holder: Holder = Holder.ROLE) -> IssuedToken:
        """The token and how it was obtained (for checks of the token response itself)."""
        return self.target.token(self.variant, holder)

    def call(
        self,
        route: Route,
        authorization: str | None = None,
        *,
        headers: Sequence[Header] = (),
        body: bytes | None = None,
        query: str = "",
        base_url: str = "",
        record: bool = True,
    ) -> Reply:
        """Send ``route``'s request to the cell's API: the one way checks reach a route.

        The request is the route's method, path, headers and body, plus ``Authorization:
        <authorization>`` (none when None). ``headers`` are added too, replacing the route's of
        the same name (several of one name are all sent: two ``Authorization`` headers);
        ``body`` replaces the route's; ``query`` (``name=value``) is added to its path;
        ``base_url`` sends it to another instance (the issuer-down twin). Recorded, redacted,
        unless ``record`` is False (polls and floods that would bury the report).
        """
        extra = list(headers)
        if authorization is not None:
            extra.append(("Authorization", authorization))
        url = (base_url or self.api_url) + route.with_query(query)
        if self.is_mcp(route):
            if body is not None:
                raise NotApplicable(MCP_BODY)
            return self.mcp(url, route.headers_with(extra))[0]
        content = route.body if body is None else body
        return self._request(route.method, url, route.headers_with(extra), content, record)

    def get(self, path: str, authorization: str | None = None, base_url: str = "") -> Reply:
        """GET ``path`` on the cell's API (or ``base_url``), recording the exchange.

        For paths that are no route of the subject's (metadata documents, discovery); a route
        is called with `call`, which sends its method, headers and body.
        """
        headers = [] if authorization is None else [("Authorization", authorization)]
        return self._request("GET", (base_url or self.api_url) + path, headers, b"", True)

    def _request(
        self, method: str, url: str, headers: list[Header], content: bytes, record: bool
    ) -> Reply:
        try:  # read raw and bounded (``harness/targets/api_client.py``)
            answer = self.target.http.fetch(method, url, headers, content)
        except httpx.HTTPError as exc:
            reply = Reply(None, error=f"{type(exc).__name__}: {exc}")
        else:
            reply = self._reply(answer.status, answer.headers, answer.text, answer.note)
        if record:
            body = content.decode("utf-8", "replace")
            self.exchanges.append(self._record(method, url, _joined(headers), reply, body))
        return reply

    def is_mcp(self, route: Route) -> bool:
        """Whether ``route`` is an MCP endpoint of the subject (its private or scoped route)."""
        subject = self.target.subject
        if subject is None or subject.protocol != "mcp":
            return False
        return route in (self.routes.private, self.routes.scoped)

    def mcp(
        self, url: str, headers: list[tuple[str, str]], later: list[tuple[str, str]] | None = None
    ) -> tuple[Reply, list[mcp_session.Step]]:
        """The MCP call at ``url`` (each request recorded): its last reply, and its steps."""
        steps = mcp_session.call(self.target.http, url, headers, later)
        reply = Reply(None)
        for step in steps:
            answer = step.response
            if answer is None:
                reply = Reply(None, error=step.error)
            else:
                reply = self._reply(answer.status_code, answer.headers, answer.text)
            record = self._record("POST", step.url, _joined(step.headers), reply, step.body)
            self.exchanges.append(record)
        return reply, steps

    def outcome(
        self, status: Status, expected: str = "", actual: str = "", detail: str = ""
    ) -> Outcome:
        """An outcome carrying the exchanges recorded so far (texts redacted)."""
        redact = self.target.redactor.redact
        return Outcome(
            status, redact(expected), redact(actual), redact(detail), tuple(self.exchanges)
        )

    def _reply(self, status: int, headers: httpx.Headers, text: str, note: str = "") -> Reply:
        """A reply, with its body as a report shows it (redacted before it is cut)."""
        shown = self.target.redactor.shown(text, SHOWN_BODY)
        if note:  # what of the body was not read
            shown += ("\n" if shown else "") + note
        return Reply(status, headers, text, shown_text=shown)

    def _record(
        self, method: str, url: str, headers: dict[str, str], reply: Reply, body: str = ""
    ) -> Exchange:
        answer = (reply.status, reply.headers, reply.shown_text, reply.error)
        return api_exchange(self.target.redactor, (method, url, headers, body), answer)


def _joined(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Repeated headers shown joined, as RFC 9110 §5.3 allows."""
    shown: dict[str, str] = {}
    for name, value in headers:
        shown[name] = f"{shown[name]}, {value}" if name in shown else value
    return shown


CheckFn = Callable[[CheckContext], Outcome]


@dataclass(frozen=True)
class Check:
    """One rule, as data: the harness runs ``fn`` in every variant it applies to."""

    id: str
    title: str
    rfc: str
    level: Level
    where: Where
    fn: CheckFn = field(repr=False)
    grants: frozenset[Grant] = frozenset(Grant)
    other_grants_reason: str = ""
    mechanisms: frozenset[Mechanism] = frozenset(Mechanism)
    other_mechanisms_reason: str = ""
    # What the harness makes happen on purpose (a fault, a lie, a rotated key): a failure
    # under it is the API's answer to that, never a setting to fix (the report says so).
    injects: str = ""
    sharing: Sharing = Sharing.SIDE_BY_SIDE
    # It waits (a deadline, TTL, cooldown, drip, an API's start): started early, not quick.
    waits: bool = False

    @property
    def family(self) -> str:
        """The check's family: the name of its module in ``harness/checks`` (``rfc6750``, ...)."""
        return self.fn.__module__.removeprefix("harness.checks.").split(".")[0]

    def not_applicable_because(self, variant: Variant, mode: Mode) -> str | None:
        """Why the check does not apply to ``variant`` against a ``mode`` target, or None."""
        cell = variant.cell
        if cell.not_applicable_because is not None:
            return cell.not_applicable_because
        if not self.where.includes(mode):
            return f"applies to the {self.where} issuer only, this run targets the {mode} issuer"
        if cell.grant not in self.grants:
            return self.other_grants_reason or f"does not apply to {cell.grant.label}"
        if cell.mechanism not in self.mechanisms:
            return self.other_mechanisms_reason or f"does not apply to {cell.mechanism.label}"
        if not cell.mechanism.introspects and variant.token_format is TokenFormat.OPAQUE:
            return OPAQUE_FOR_LOCAL_JWT
        return None


INTROSPECTING = frozenset(m for m in Mechanism if m.introspects)
ONLY_INTROSPECTION = (
    "the API validates JWTs locally and never calls the issuer's introspection endpoint"
)
OPAQUE_FOR_LOCAL_JWT = (
    "the issuer's service users get opaque access tokens (INTROSPECT_JWT_ACCESS_TOKENS=false), "
    "which an API validating JWTs locally cannot check"
)
