"""A lying issuer: well-formed HTTP, wrong answers, switched on per test (RFC 7662 §2.2).

Where :mod:`mock_issuer.faults` breaks the transport, a lie answers: the real introspection
answer is computed, then bent in one respect (``active`` as ``"true"``, an ``exp`` of a
thousand digits, a foreign ``aud``, a 30 MB body, a gzip bomb, a 302 elsewhere, a body dripped
past the caller's timeout, ...). Discovery lies bend the discovery document instead. A resource
server owes a refusal to every one of them: never 200, never a 500.

Each :class:`LieKind` carries that refusal (:class:`Refusal`: the status owed, the RFC sections
that make the answer wrong, a title), so the harness derives its lie checks from this enum
alone. How each lie bends the answer is :mod:`mock_issuer.lie_answers`; the ASGI layer that
sends it is :mod:`mock_issuer.lie_layer`.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass

from mock_issuer import paths

TOKEN_FAULT = 401
"""The token is no good here (RFC 6750 §3.1 ``invalid_token``): the client needs a new one."""
NO_SUCH_ROLE = 403
"""The token is valid but holds no such role (RFC 6750 §3.1 ``insufficient_scope``)."""
ISSUER_FAULT = 503
"""The answer cannot be trusted at all (RFC 9110 §15.6.4): the client should retry later."""

_ACTIVE = "RFC 7662 §2.2"
_DATES = "RFC 7519 §2 (NumericDate); RFC 8259 §6"
_BODY = "RFC 7662 §2.2; RFC 8259 §8.1"
_SLOW = "RFC 9110 §15.6.4"


@dataclass(frozen=True)
class Refusal:
    """What a resource server owes one lie, and where that is written.

    ``slug`` names the lie in check ids (``RFC<n>-<section>-lie-<slug>``, after the first
    section of ``rfc``); ``title`` says what the issuer answers; ``status`` is the refusal owed;
    ``needs_role`` says the lie is judged on an API route that requires a role.
    """

    slug: str
    title: str
    rfc: str
    status: int
    needs_role: bool = False


class LieKind(enum.Enum):
    """How the answer is wrong, and the refusal it is owed (a data table, one lie each).

    ``DISCOVERY_*`` lies bend the discovery document; the others the introspection answer.
    """

    # fmt: off
    ACTIVE_STRING = Refusal("active-string", '"active": "true"', _ACTIVE, ISSUER_FAULT)
    ACTIVE_ONE = Refusal("active-one", '"active": 1', _ACTIVE, ISSUER_FAULT)
    ACTIVE_NULL = Refusal("active-null", '"active": null', _ACTIVE, ISSUER_FAULT)
    ACTIVE_LIST = Refusal("active-list", '"active": [true]', _ACTIVE, ISSUER_FAULT)
    ACTIVE_MISSING = Refusal("active-missing", "no active member", _ACTIVE, ISSUER_FAULT)
    ACTIVE_DUPLICATE = Refusal("active-duplicate",
        '"active": false ... "active": true in one object', "RFC 8259 §4", ISSUER_FAULT)
    EXPIRED = Refusal("expired", '"active": true with exp an hour ago',
        "RFC 7662 §2.2; RFC 7519 §4.1.4", TOKEN_FAULT)
    NOT_YET_VALID = Refusal("not-yet-valid", '"active": true with nbf in an hour',
        "RFC 7662 §2.2; RFC 7519 §4.1.5", TOKEN_FAULT)
    EXP_STRING = Refusal("exp-string", "exp as a string", _DATES, ISSUER_FAULT)
    EXP_NAN = Refusal("exp-nan", "exp NaN", _DATES, ISSUER_FAULT)
    EXP_OVERFLOW = Refusal("exp-1e400", "exp 1e400", _DATES, ISSUER_FAULT)
    EXP_HUNDREDS_OF_DIGITS = Refusal("exp-400-digits", "exp an integer of 400 digits", _DATES,
        ISSUER_FAULT)
    EXP_THOUSANDS_OF_DIGITS = Refusal("exp-5000-digits", "exp an integer of 5000 digits", _DATES,
        ISSUER_FAULT)
    FOREIGN_AUDIENCE = Refusal("foreign-audience", "aud another project",
        "RFC 7662 §4; RFC 7519 §4.1.3", TOKEN_FAULT)
    TWO_AUDIENCES_IN_ONE_STRING = Refusal("aud-two-in-one-string",
        'aud "<other> <ours>" (one string is one audience)', "RFC 7519 §4.1.3", TOKEN_FAULT)
    FOREIGN_ISSUER = Refusal("foreign-issuer", "iss another issuer",
        "RFC 7662 §2.2; RFC 7519 §4.1.1", TOKEN_FAULT)
    REFRESH_TOKEN_TYPE = Refusal("refresh-token-type", 'token_type "refresh_token"',
        "RFC 7662 §2.2; RFC 6749 §1.5", TOKEN_FAULT)
    ROLES_WRONG_TYPE = Refusal("roles-wrong-type",
        'roles claim one string "not-read:messages" (403 on the scoped route)', "RFC 6750 §3.1",
        NO_SUCH_ROLE, needs_role=True)
    DEEP_NESTING = Refusal("deep-nesting", "JSON nested 100000 deep", "RFC 8259 §9", ISSUER_FAULT)
    HUGE_BODY = Refusal("huge-body", "a 30 MB answer", "RFC 8259 §9", ISSUER_FAULT)
    COMPRESSED_BOMB = Refusal("gzip-bomb", "a gzip answer expanding to 200 MB", "RFC 9110 §8.4",
        ISSUER_FAULT)
    JSON_AS_HTML = Refusal("json-as-html", "JSON sent as text/html", _BODY, ISSUER_FAULT)
    JSON_AS_UTF16 = Refusal("json-as-utf16", "JSON encoded in UTF-16", _BODY, ISSUER_FAULT)
    EMPTY_200 = Refusal("empty-200", "200 with an empty body", _BODY, ISSUER_FAULT)
    TOO_MANY_REQUESTS = Refusal("429", "429 with Retry-After", "RFC 6585 §4; RFC 9110 §15.6.4",
        ISSUER_FAULT)
    REDIRECT_ELSEWHERE = Refusal("302-elsewhere", "302 to an endpoint that says active",
        "RFC 7662 §2.2; RFC 9110 §15.4.3", ISSUER_FAULT)
    DRIP_BODY = Refusal("drip-body", "the body dripped past the API's timeout", _SLOW,
        ISSUER_FAULT)
    DRIP_HEADERS = Refusal("drip-headers", "the headers dripped past the API's timeout", _SLOW,
        ISSUER_FAULT)
    DISCOVERY_OTHER_ISSUER = Refusal("discovery-other-issuer", "discovery names another issuer",
        "RFC 8414 §3.3", ISSUER_FAULT)
    DISCOVERY_NO_INTROSPECTION = Refusal("discovery-no-introspection",
        "discovery without introspection_endpoint", "RFC 8414 §2", ISSUER_FAULT)
    DISCOVERY_DEEP_NESTING = Refusal("discovery-deep-nesting", "discovery nested 100000 deep",
        "RFC 8414 §3.2; RFC 8259 §9", ISSUER_FAULT)
    DISCOVERY_HUGE_NUMBER = Refusal("discovery-huge-number", "discovery with a 5000-digit number",
        "RFC 8414 §3.2; RFC 8259 §6", ISSUER_FAULT)
    # fmt: on

    @property
    def refusal(self) -> Refusal:
        """What a resource server owes this lie."""
        refusal: Refusal = self.value
        return refusal

    @property
    def fresh(self) -> bool:
        """Whether an API must start afresh to see it (discovery is read once per process)."""
        return self.name.startswith("DISCOVERY_")

    @property
    def path(self) -> str:
        """The path whose answer this lie bends."""
        return paths.DISCOVERY if self.fresh else paths.INTROSPECTION


class Lies:
    """The set of active lies of one issuer (thread-safe), and who followed a redirect.

    A lie switched on with ``token=`` is told only about that token (:mod:`mock_issuer.scoped`);
    one without, about every token. A scoped lie wins over an unscoped one for its token.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: list[tuple[LieKind, str | None]] = []
        self._told: dict[tuple[LieKind, str | None], int] = {}
        self.redirects_followed = 0

    def set(self, kind: LieKind, token: str | None = None) -> LieKind:
        """Switch a lie on (one per path and token: it replaces another lie about the same
        answer)."""
        with self._lock:
            self._active = [
                (k, t) for k, t in self._active if (k.path, t) != (kind.path, token)
            ] + [(kind, token)]
        return kind

    def remove(self, kind: LieKind, token: str | None = None) -> None:
        """Switch a lie off (no error if it is off)."""
        with self._lock:
            self._active = [(k, t) for k, t in self._active if (k, t) != (kind, token)]

    def clear(self) -> None:
        """Switch every lie off."""
        with self._lock:
            self._active = []

    def for_path(self, path: str, token: str | None = None) -> LieKind | None:
        """The lie about the answer at ``path`` (for a request about ``token``), if any."""
        picked = self.pick(path, token)
        return picked[0] if picked is not None else None

    def pick(self, path: str, token: str | None) -> tuple[LieKind, str | None] | None:
        """The lie for ``path`` and ``token``, and the token it is scoped to (None: to all)."""
        with self._lock:
            found = {t: k for k, t in self._active if k.path == path}
        for scope in (token, None) if token is not None else (None,):
            if scope in found:
                return found[scope], scope
        return None

    def scoped(self, path: str) -> bool:
        """Whether a lie scoped to a token is on for ``path`` (its body must be read)."""
        with self._lock:
            return any(t is not None and k.path == path for k, t in self._active)

    def count_told(self, kind: LieKind, token: str | None = None) -> None:
        """The lie was sent to a caller once more (about ``token``, if it is scoped to it)."""
        with self._lock:
            self._told[(kind, token)] = self._told.get((kind, token), 0) + 1

    def told(self, kind: LieKind, token: str | None = None) -> int:
        """How often the lie has been sent (0: nobody asked for the answer it bends); with
        ``token``, how often the lie scoped to it was."""
        with self._lock:
            if token is not None:
                return self._told.get((kind, token), 0)
            return sum(n for (k, _), n in self._told.items() if k is kind)

    def count_redirect_followed(self) -> None:
        """Someone followed the 302 to ``lie_answers.ELSEWHERE_PATH``."""
        with self._lock:
            self.redirects_followed += 1
