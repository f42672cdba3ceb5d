"""Redaction: every secret the harness knows is replaced by a fingerprint before it is shown.

Tokens (RFC 6750 §5.3: bearer tokens must not leak), client secrets (RFC 6749 §2.3.1), PATs
and key material are registered with a `Redactor` as soon as the harness obtains them; the
report, the JSON twin and the terminal only ever see `[REDACTED:<fingerprint>]`. A secret is
also searched in the encodings it travels in: form-urlencoded and inside a Basic header.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

from oauthkit import short_digest as fingerprint

# Shorter strings are too likely to occur by chance (and are not real secrets).
MIN_SECRET_LENGTH = 8
_PEM_BODY = re.compile(r"-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----", re.DOTALL)
# Header values whose credentials are always blanked, known secret or not (RFC 7235 §4.2).
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
_SCHEME_AND_CREDENTIALS = re.compile(r"^(\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+)(\S.*)$")


def encodings(secret: str) -> set[str]:
    """The forms a secret can take on the wire or in a log line."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), secret.replace("\n", "\\n")}
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


class Redactor:
    """Knows every secret of a run and blanks them out of text; safe to share between threads."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._replacements: dict[str, str] = {}
        self._longest_first: tuple[str, ...] = ()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Register a secret (and its encodings); short or empty values are ignored."""
        if not secret or len(secret) < MIN_SECRET_LENGTH:
            return
        marker = f"[REDACTED:{fingerprint(secret)}]"
        with self._lock:
            for form in encodings(secret):
                self._replacements.setdefault(form, marker)
            # Longest first, so a secret containing another is replaced whole.
            self._longest_first = tuple(sorted(self._replacements, key=len, reverse=True))

    def add_basic(self, user: str, password: str) -> None:
        """Register the Basic header value built from a user and password (RFC 7617 §2)."""
        self.add(password)
        for pair in {f"{user}:{password}", f"{quote_plus(user)}:{quote_plus(password)}"}:
            self.add(base64.b64encode(pair.encode()).decode())

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every registered form, longest first (for scanning, never for display)."""
        return self._longest_first

    def redact(self, text: str) -> str:
        """``text`` with every known secret and every PEM block replaced."""
        for secret in self._longest_first:
            if secret in text:
                text = text.replace(secret, self._replacements[secret])
        return _PEM_BODY.sub(lambda m: f"[REDACTED:{fingerprint(m.group(0))}]", text)

    def redact_header(self, name: str, value: str) -> str:
        """A header value fit for display.

        Known secrets are blanked everywhere; Basic credentials are blanked even when unknown
        (they are a secret in base64). Bearer values that are not known secrets stay visible,
        so a report shows the deliberately malformed or garbage tokens the checks sent.
        """
        value = self.redact(value)
        if name.lower() not in _CREDENTIAL_HEADERS:
            return value
        match = _SCHEME_AND_CREDENTIALS.match(value)
        if match is None or match.group(1).strip().lower() != "basic":
            return value
        return f"{match.group(1)}[REDACTED:{fingerprint(match.group(2))}]"

    def find(self, text: str) -> list[str]:
        """Fingerprints of the secrets (and PEM blocks) in ``text``; empty when it is clean."""
        found = {self._replacements[s] for s in self._longest_first if s in text}
        found |= {f"[REDACTED:{fingerprint(m.group(0))}]" for m in _PEM_BODY.finditer(text)}
        return sorted(found)
