"""What each API sent to the introspection endpoint, as facts the lint checks judge (RFC 7662 §2.1).

One :class:`IntrospectionRecord` per request that reached ``POST /oauth/v2/introspect``: which
client authentication methods it carried (RFC 6749 §2.3: a client MUST NOT use more than one),
whether a Basic header's parts were form-urlencoded (RFC 6749 §2.3.1), and the claims of a
client assertion that matter (RFC 7523 §3: ``iss``, ``sub``, ``aud``, ``jti``, lifetime). No
secret, token or assertion is kept, only facts about them, so records may be shown anywhere.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from itertools import islice

import jwt

from mock_issuer.forms import ASSERTION_TYPE_JWT, Form
from mock_issuer.scoped import token_digest

# What application/x-www-form-urlencoded output may hold (WHATWG URL §5.2): the unreserved
# characters, "+" for a space and percent-escapes. A raw ":", space or "é" is not encoded.
_FORM_ENCODED = re.compile(r"(?:[A-Za-z0-9*\-._+]|%[0-9A-Fa-f]{2})*")


@dataclass(frozen=True)
class AssertionFacts:
    """The claims of a client assertion that the lint checks judge (unverified)."""

    iss: str | None
    sub: str | None
    aud: tuple[str, ...]
    has_jti: bool
    lifetime: float | None
    alg: str | None


@dataclass(frozen=True)
class IntrospectionRecord:
    """One introspection request, as facts."""

    at: float
    methods: tuple[str, ...]
    client_id: str | None
    basic_form_encoded: bool | None = None
    assertion: AssertionFacts | None = None
    user_agent: str = ""
    token_digest: str = ""  # of the token asked about (`mock_issuer.scoped.token_digest`)


KEPT_RECORDS = 10_000
"""How many of the latest records a log keeps: a mock under load must not grow without end."""


@dataclass
class IntrospectionLog:
    """The latest introspection requests an issuer received, in order (thread-safe).

    Positions count every request ever added, so ``since(len(log))`` taken before a check
    still finds that check's records; only records older than the last ``limit`` are gone.
    """

    limit: int = KEPT_RECORDS
    _records: deque[IntrospectionRecord] = field(default_factory=deque)
    _dropped: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: IntrospectionRecord) -> None:
        """Append one record (forgetting the oldest past the limit)."""
        with self._lock:
            self._records.append(record)
            if len(self._records) > self.limit:
                self._records.popleft()
                self._dropped += 1

    def since(self, index: int) -> list[IntrospectionRecord]:
        """The records from position ``index`` on (those still kept)."""
        with self._lock:
            return list(islice(self._records, max(index - self._dropped, 0), None))

    def __len__(self) -> int:
        with self._lock:
            return self._dropped + len(self._records)


def describe(
    authorization: str, form: Form, at: float, user_agent: str = ""
) -> IntrospectionRecord:
    """The facts of one request: its Authorization header value and its form."""
    methods: list[str] = []
    client_id = form.get("client_id")
    encoded: bool | None = None
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() == "basic":
        methods.append("client_secret_basic")
        client_id, encoded = _basic_facts(credentials.strip())
    if form.get("client_secret"):
        methods.append("client_secret_post")
    facts = None
    if form.get("client_assertion") or form.get("client_assertion_type") == ASSERTION_TYPE_JWT:
        methods.append("private_key_jwt")
        facts = _assertion_facts(form.get("client_assertion", ""))
        client_id = client_id or facts.iss
    digest = token_digest(form["token"]) if form.get("token") else ""
    return IntrospectionRecord(at, tuple(methods), client_id, encoded, facts, user_agent, digest)


def _basic_facts(credentials: str) -> tuple[str | None, bool]:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None, False
    user, colon, password = decoded.partition(":")
    encoded = bool(colon) and all(_FORM_ENCODED.fullmatch(p) for p in (user, password))
    return user, encoded


def _assertion_facts(assertion: str) -> AssertionFacts:
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
        alg = jwt.get_unverified_header(assertion).get("alg")
    except jwt.PyJWTError:
        return AssertionFacts(None, None, (), False, None, None)
    aud = claims.get("aud")
    items = aud if isinstance(aud, list) else []
    audiences = (aud,) if isinstance(aud, str) else tuple(a for a in items if isinstance(a, str))
    return AssertionFacts(
        iss=_text(claims.get("iss")),
        sub=_text(claims.get("sub")),
        aud=audiences,
        has_jti=isinstance(claims.get("jti"), str) and bool(claims.get("jti")),
        lifetime=_lifetime(claims),
        alg=alg if isinstance(alg, str) else None,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _lifetime(claims: dict[str, object]) -> float | None:
    exp, iat = claims.get("exp"), claims.get("iat")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (exp, iat))
    if not numbers:
        return None
    try:
        return float(exp) - float(iat)  # type: ignore[arg-type]
    except OverflowError:
        return None
