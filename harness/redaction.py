"""Redaction: every secret the harness knows is replaced by a fingerprint before it is shown.

Tokens (RFC 6750 §5.3: bearer tokens must not leak), client secrets (RFC 6749 §2.3.1), PATs
and key material are registered with a `Redactor` as soon as the harness obtains them; the
report, the JSON twin and the terminal only ever see `[REDACTED:<fingerprint>]`. A secret is
also searched in the encodings it travels in: form-urlencoded and inside a Basic header.

Nothing is cut before it is redacted, and what a cut or an API leaves of a secret is masked
too: every run of 8 characters of a known secret (`MIN_SECRET_LENGTH`) that survives whole-
secret redaction becomes `PARTIAL` (`Redactor.redact`). Two parts of a secret are not
indexed for that, being shared with texts that are no secret: a JWT's header (every token of
an issuer has the same one, RFC 7515 §7.1) and a PEM block's armour lines (RFC 7468 §2).
`Redactor.shown` is the one way captured text is made fit for display: redacted, control
characters escaped (``harness/model/text.py``), cut to a cap (``harness/model/bounds.py``).
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

from harness.model.bounds import cut_mark, split_sizes
from harness.model.text import escape_controls
from oauthkit import short_digest as fingerprint

# Shorter strings are too likely to occur by chance (and are not real secrets).
MIN_SECRET_LENGTH = 8
PARTIAL = "[REDACTED:partial]"
_PEM_BODY = re.compile(r"-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----", re.DOTALL)
_PEM_ARMOUR = re.compile(r"-----(?:BEGIN|END) [A-Z ]+-----|\\n|\s")
_JWT_HEAD = re.compile(r"^eyJ[A-Za-z0-9_-]*\.(?=[A-Za-z0-9_-]*\.)")
# Header values whose credentials are always blanked, known secret or not (RFC 7235 §4.2).
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
_SCHEME_AND_CREDENTIALS = re.compile(r"^(\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+)(\S.*)$")
# Margin read beyond a cut so a secret across it is replaced whole (longer ones are masked).
MAX_MARGIN = 4096
# The texts whose findings `Redactor.find` remembers (an API's log is asked about once per
# variant), by their number and their characters all told.
MAX_REMEMBERED = 20_000
MAX_REMEMBERED_CHARS = 16 * 1024 * 1024


def encodings(secret: str) -> set[str]:
    """The forms a secret can take on the wire or in a log line."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), secret.replace("\n", "\\n")}
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


def _has_space(form: str) -> bool:
    return any(c.isspace() for c in form)


def pieces(form: str) -> list[str]:
    """The parts of a secret's form whose every 8 characters are masked wherever they appear."""
    return [p for p in _PEM_ARMOUR.split(_JWT_HEAD.sub("", form)) if len(p) >= MIN_SECRET_LENGTH]


class Redactor:
    """Knows every secret of a run and blanks them out of text; safe to share between threads."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._replacements: dict[str, str] = {}
        self._order: list[str] = []  # every form, as registered
        # What `find` found in a text, and how many forms it had looked for then.
        self._found: dict[str, tuple[int, frozenset[str]]] = {}
        self._found_chars = 0
        self._longest_first: tuple[str, ...] | None = ()
        self._grams: set[str] = set()
        # A form is looked for only in a text holding its anchor (its first piece's first 8
        # characters): a run knows thousands of tokens, a text holds a few at most.
        self._anchored: dict[str, list[str]] = {}
        self._unanchored: list[str] = []
        self._alphabet: set[str] = set()
        self._runs: re.Pattern[str] | None = None
        # Forms without whitespace are first replaced where one is a whole word (a maximal run
        # of the characters they are made of, `_whole`); a form with whitespace (not a PEM
        # block, `_with_space`) that holds such a form turns that off: the word would be
        # replaced first, and the form no longer found whole.
        self._word_letters: set[str] = set()
        self._words: re.Pattern[str] | None = None
        self._with_space: list[str] = []
        self._spaced = False
        self._margin = 0
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Register a secret (and its encodings); short or empty values are ignored."""
        if not secret or len(secret) < MIN_SECRET_LENGTH or secret in self._replacements:
            return
        marker = f"[REDACTED:{fingerprint(secret)}]"
        with self._lock:
            letters = len(self._alphabet)
            for form in encodings(secret):
                if form in self._replacements:
                    continue
                self._replacements[form] = marker
                self._order.append(form)
                found = pieces(form)
                if found:
                    self._anchored.setdefault(found[0][:MIN_SECRET_LENGTH], []).append(form)
                else:
                    self._unanchored.append(form)
                for piece in found:
                    self._grams.update(
                        piece[i : i + MIN_SECRET_LENGTH] for i in range(len(piece) - 7)
                    )
                    self._alphabet.update(piece)
                self._margin = min(MAX_MARGIN, max(self._margin, len(form)))
                self._index_word(form)
            if len(self._alphabet) != letters or self._runs is None:
                characters = re.escape("".join(sorted(self._alphabet)))
                self._runs = re.compile(f"[{characters}]{{{MIN_SECRET_LENGTH},}}")
            self._longest_first = None  # sorted again when asked for

    def _index_word(self, form: str) -> None:
        if _has_space(form):
            if _PEM_BODY.search(form) is None:
                self._with_space.append(form)
                held = any(w in form for w in self._order if not _has_space(w))
                self._spaced = self._spaced or held
            return
        self._spaced = self._spaced or any(form in spaced for spaced in self._with_space)
        if not self._word_letters.issuperset(form):
            self._word_letters.update(form)
            letters = re.escape("".join(sorted(self._word_letters)))
            self._words = re.compile(f"[{letters}]{{{MIN_SECRET_LENGTH},}}")

    def _whole(self, text: str) -> str:
        """``text`` with each word that is a known form replaced (as `redact` would: no
        longer form holds a whole word, since none holds the characters around it)."""
        if self._spaced or self._words is None:
            return text
        known = self._replacements
        return self._words.sub(lambda m: known.get(m.group(0), m.group(0)), text)

    def add_basic(self, user: str, password: str) -> None:
        """Register the Basic header value built from a user and password (RFC 7617 §2)."""
        self.add(password)
        for pair in {f"{user}:{password}", f"{quote_plus(user)}:{quote_plus(password)}"}:
            self.add(base64.b64encode(pair.encode()).decode())

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every registered form, longest first (for scanning, never for display)."""
        with self._lock:
            if self._longest_first is None:
                self._longest_first = tuple(sorted(self._replacements, key=len, reverse=True))
            return self._longest_first

    def redact(self, text: str) -> str:
        """``text`` with every known secret and every PEM block replaced, and what is left of a
        known secret (8 characters or more of it) masked."""
        text = self._whole(text)  # shorter: the scan below reads every character
        spans, present = self._spans(text)
        found = self._held(text, present) if spans or self._unanchored else []
        for secret in found:
            text = text.replace(secret, self._replacements[secret])
        redacted = _PEM_BODY.sub(lambda m: f"[REDACTED:{fingerprint(m.group(0))}]", text)
        if found or redacted != text:  # the spans moved
            spans = self._spans(redacted)[0]
        for start, end in reversed(spans):
            redacted = redacted[:start] + PARTIAL + redacted[end:]
        return redacted

    def _held(self, text: str, present: set[str]) -> list[str]:
        """The known forms ``text`` holds (of those anchored in ``present``), longest first: a
        secret containing another is replaced whole."""
        candidates = {f for gram in present for f in self._anchored.get(gram, ())}
        found = [f for f in (*candidates, *self._unanchored) if f in text]
        return sorted(found, key=len, reverse=True)

    def _spans(self, text: str) -> tuple[list[list[int]], set[str]]:
        """The spans covered by 8-character runs of a known secret, and those runs."""
        runs, grams, size = self._runs, self._grams, MIN_SECRET_LENGTH
        spans: list[list[int]] = []
        present: set[str] = set()
        if runs is None or len(text) < size:
            return spans, present
        for run in runs.finditer(text):  # only runs of the characters secrets are made of
            for i in range(run.start(), run.end() - size + 1):
                gram = text[i : i + size]
                if gram in grams:
                    present.add(gram)
                    if spans and i <= spans[-1][1]:
                        spans[-1][1] = i + size
                    else:
                        spans.append([i, i + size])
        return spans, present

    def shown(self, text: str, limit: int) -> str:
        """``text`` for display: redacted, control characters escaped, cut to ``limit``
        characters (head and tail kept, the cut marked); redaction comes before the cut."""
        head, tail = split_sizes(limit)
        if len(text) <= limit + 2 * self._margin:
            whole = escape_controls(self.redact(text))
            if len(whole) <= limit:
                return whole
            return whole[:head] + cut_mark(len(whole) - head - tail, len(whole)) + whole[-tail:]
        first = escape_controls(self.redact(text[: head + self._margin]))[:head]
        last = escape_controls(self.redact(text[-(tail + self._margin) :]))[-tail:] if tail else ""
        return first + cut_mark(len(text) - head - tail, len(text)) + last

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
        """Fingerprints of the secrets (and PEM blocks) in ``text``; empty when it is clean.

        A text asked about again is searched only for the secrets registered since (each of
        the forms `_held` finds is one ``text`` contains)."""
        with self._lock:
            known = len(self._order)
            before = self._found.get(text)
        if before is None:
            found = {self._replacements[s] for s in self._held(text, self._spans(text)[1])}
            found |= {f"[REDACTED:{fingerprint(m.group(0))}]" for m in _PEM_BODY.finditer(text)}
        else:
            added = self._order[before[0] : known]
            found = {*before[1], *(self._replacements[f] for f in added if f in text)}
        with self._lock:
            if text not in self._found:
                if len(self._found) >= MAX_REMEMBERED or self._found_chars > MAX_REMEMBERED_CHARS:
                    self._found.clear()
                    self._found_chars = 0
                self._found_chars += len(text)
            self._found[text] = (known, frozenset(found))
        return sorted(found)
