"""Property: a known secret anywhere in what an API sends or prints never reaches the output.

A token, PAT, client secret or key is placed at every offset near each place where the harness
cuts text (the body read, the body shown, the one-line "actual" summary, a header, a log line
as captured and as shown), and at random offsets elsewhere, in bodies, headers and log lines.
Each goes through the harness's own capture path (the check context's recording, a subject
process's output reader, `execute`), then into the HTML report, the JSON twin and the
terminal ending. None of them may hold 8 characters of any of the secrets (RFC 6750 §5.3).
"""

from __future__ import annotations

import random
import re
import string
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from harness.checks.base import Check, CheckContext, Where
from harness.checks.expect import describe
from harness.logcapture import CapturedRecord
from harness.model.bounds import LINE_BYTES, READ_BODY_BYTES, SHOWN_BODY, SHOWN_HEADER, SHOWN_LINE
from harness.model.matrix import Mechanism, Mode, TokenFormat, Variant, cell_by_number
from harness.model.results import Level, RunInfo, RunResult, Status
from harness.model.routes import Routes
from harness.redaction import MIN_SECRET_LENGTH, Redactor
from harness.report import budget
from harness.report.html import write_report
from harness.report.terminal import ending
from harness.run.execute import execute
from harness.subjects.process import SubjectProcess
from harness.targets.api_client import ApiClient
from harness.targets.recording import IssuerTraffic

ALPHABET = string.ascii_letters + string.digits + "-_"
FILLER = " .·é~\x1b\x07\x00\u202e"  # nothing a secret is made of
LOG_FILLER = " .~,\x07"
CUTS_NEAR = 2  # offsets tried past each cut point


def _secret(rng: random.Random, kind: int) -> str:
    if kind == 0:  # an opaque token
        return "".join(rng.choice(ALPHABET) for _ in range(43))
    if kind == 1:  # a PAT
        return "".join(rng.choice(ALPHABET) for _ in range(70))
    if kind == 2:  # a client secret with characters that are encoded on the wire
        return "".join(rng.choice(ALPHABET + "+/=") for _ in range(32))
    body = "\n".join("".join(rng.choice(ALPHABET) for _ in range(64)) for _ in range(4))
    label = "PRIVATE " + "KEY"  # split, so no committed file looks like a key
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"


def _offsets(length: int, cuts: list[int], size: int, rng: random.Random) -> list[int]:
    """Every offset that puts the secret across or just beside a cut, and a few at random."""
    found = {0, max(0, length - size)}
    for cut in cuts:
        found.update(range(max(0, cut - size - CUTS_NEAR), min(length - size, cut + CUTS_NEAR) + 1))
    found.update(rng.randrange(0, max(1, length - size)) for _ in range(3))
    return sorted(o for o in found if 0 <= o <= length - size)


@dataclass
class Case:
    """One secret at one offset of one place."""

    secret: str
    where: str  # "body", "header" or "log"
    text: str
    log: list[CapturedRecord] = field(default_factory=list)


def _placed(secret: str, length: int, offset: int, filler: str, rng: random.Random) -> str:
    pad = "".join(rng.choice(filler) for _ in range(64))
    text = (pad * (length // len(pad) + 1))[:length]
    return text[:offset] + secret + text[offset + len(secret) :]


class Pool:
    """A few secrets of each kind, reused at every offset (a run knows few secrets, not 1000s)."""

    def __init__(self, rng: random.Random) -> None:
        self._secrets = [[_secret(rng, kind) for _ in range(3)] for kind in range(4)]
        self._turn = 0

    def __call__(self, rng: random.Random, kind: int) -> str:
        self._turn += 1
        return self._secrets[kind][self._turn % 3]

    @property
    def all(self) -> list[str]:
        return [s for kind in self._secrets for s in kind]


def _stride(kind: int) -> int:
    """Every offset for opaque tokens; every few for the other kinds."""
    return 1 if kind == 0 else 5


def _cases(rng: random.Random, _secret: Pool) -> list[Case]:
    cases = []
    for kind in range(4):
        bodies = {
            300: [],
            SHOWN_BODY + 40: [300, SHOWN_BODY * 3 // 4, SHOWN_BODY + 40 - SHOWN_BODY // 4],
            6000: [300, SHOWN_BODY * 3 // 4, 6000 - SHOWN_BODY // 4],
        }
        for length, cuts in bodies.items():
            size = len(_secret(rng, kind))
            for offset in _offsets(length, cuts, size, rng)[:: _stride(kind)]:
                secret = _secret(rng, kind)
                cases.append(Case(secret, "body", _placed(secret, length, offset, FILLER, rng)))
        big = READ_BODY_BYTES + 5000
        for offset in _offsets(big, [READ_BODY_BYTES], 43, rng)[:: 4 * _stride(kind)]:
            secret = _secret(rng, min(kind, 2))
            cases.append(Case(secret, "body", _placed(secret, big, offset, " .~", rng)))
        header = SHOWN_HEADER + 300
        for offset in _offsets(header, [SHOWN_HEADER * 3 // 4, header - SHOWN_HEADER // 4],
                               43, rng)[:: _stride(kind)]:  # fmt: skip
            secret = _secret(rng, min(kind, 2))
            cases.append(Case(secret, "header", _placed(secret, header, offset, " .~", rng)))
    return cases


def _log_cases(rng: random.Random, _secret: Pool) -> list[Case]:
    cases = []
    for length, cuts in {
        SHOWN_LINE + 100: [SHOWN_LINE * 3 // 4, SHOWN_LINE + 100 - SHOWN_LINE // 4],
        LINE_BYTES + 500: [SHOWN_LINE * 3 // 4, LINE_BYTES, LINE_BYTES + 500 - SHOWN_LINE // 4],
        200_000: [LINE_BYTES],
    }.items():
        for kind in range(3):
            for offset in _offsets(length, cuts, 43, rng)[:: _stride(kind)]:
                secret = _secret(rng, kind)
                cases.append(Case(secret, "log", _placed(secret, length, offset, LOG_FILLER, rng)))
    return cases


class _Logs:
    """The log records of the case being run (read before from a real subject process)."""

    def __init__(self) -> None:
        self.current: list[CapturedRecord] = []

    def mark(self) -> dict[int, int]:
        return {0: 0}

    def since(self, mark: object, exclude: frozenset[str] = frozenset()) -> list[CapturedRecord]:
        return self.current

    def records(self, exclude: frozenset[str] = frozenset()) -> list[CapturedRecord]:
        return self.current


@dataclass
class _Target:
    redactor: Redactor
    http: ApiClient
    logs: _Logs = field(default_factory=_Logs)
    issuer_traffic: IssuerTraffic = field(default_factory=IssuerTraffic)
    mode: Mode = Mode.MOCK
    subject: None = None
    mock: None = None  # no issuer's controls: a check of its own in-process API
    routes: Routes = field(default_factory=Routes)

    def api_url(self, auth: Mechanism) -> str:
        return "http://api.test"

    def died_during_check(self, dropped: bool) -> str:
        return ""

    def foreign_origins(self, auth: Mechanism) -> frozenset[str]:
        return frozenset()


def _read_by_a_subject_process(cases: list[Case], tmp_path: Path) -> None:
    """Print every log case's line from a child process; keep what its reader kept."""
    lines = tmp_path / "lines.txt"
    lines.write_text("\n".join(c.text for c in cases) + "\n", encoding="utf-8")
    script = "import sys; sys.stdout.write(open(sys.argv[1], encoding='utf-8').read())"
    process = SubjectProcess("chatty", [sys.executable, "-c", script, str(lines)], {}, tmp_path)
    assert process.wait_exit(30) == 0
    process.stop()
    kept = process.lines().tail
    assert len(kept) == len(cases)
    for case, line in zip(cases, kept, strict=True):
        case.log = [CapturedRecord("chatty", line.stream, "subject:chatty", line.text,
                                   line.left_out)]  # fmt: skip


def _run(cases: list[Case], redactor: Redactor) -> RunResult:
    current: dict[str, Case] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        case = current["case"]
        if case.where == "header":
            challenge = f'Bearer error="invalid_token", error_description="{case.text}"'
            return httpx.Response(401, headers={"WWW-Authenticate": challenge})
        return httpx.Response(
            401, content=case.text.encode(), headers={"Content-Type": "text/plain"}
        )

    def leaky(ctx: CheckContext) -> object:
        reply = ctx.get("/api/private", f"Bearer {current['case'].secret}")
        return ctx.outcome(Status.FAILED, "no echo", describe(reply), reply.text[:50])

    check = Check("LEAK-echo", "echoes what it gets", "RFC 6750 §5.3", Level.MUST, Where.BOTH,
                  leaky)  # type: ignore[arg-type]  # fmt: skip
    target = _Target(redactor, ApiClient(5.0, httpx.MockTransport(answer)))
    variant = Variant(cell_by_number(2), TokenFormat.OPAQUE)
    results = []
    for n, case in enumerate(cases):
        current["case"] = case
        target.logs.current = case.log
        results.append(execute(check, target, variant, order=n))  # type: ignore[arg-type]
    info = RunInfo(
        "mock", "http://issuer.test", "2026-12-02T00:00:00+00:00", 1.0, "python -m harness"
    )
    return RunResult(info, tuple(results))


def _fragments(secrets: list[str]) -> dict[str, str]:
    grams = {}
    for secret in secrets:
        for piece in secret.split("\n"):
            if "-----" in piece:
                continue
            for i in range(len(piece) - MIN_SECRET_LENGTH + 1):
                grams[piece[i : i + MIN_SECRET_LENGTH]] = secret
    return grams


_RUN = re.compile(rf"[A-Za-z0-9_+/=-]{{{MIN_SECRET_LENGTH},}}")


def _leaks(text: str, grams: dict[str, str]) -> Iterator[str]:
    """Excerpts around each 8 characters of a secret (secrets are made of `_RUN` characters)."""
    size = MIN_SECRET_LENGTH
    for run in _RUN.finditer(text):
        word = run.group(0)
        for i in range(len(word) - size + 1):
            if word[i : i + size] in grams:
                yield text[max(0, run.start() - 20) : run.end() + 20]
                break


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def outputs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch
) -> tuple[dict[str, str], dict[str, str]]:
    monkeypatch_module.setattr("harness.run.execute.SETTLE_POLLS", 0)
    rng = random.Random(20)
    pool = Pool(rng)
    cases, logged = _cases(rng, pool), _log_cases(rng, pool)
    tmp_path = tmp_path_factory.mktemp("fragments")
    _read_by_a_subject_process(logged, tmp_path)
    redactor = Redactor(pool.all)
    run = _run([*cases, *logged], redactor)
    # Every result's evidence in the HTML too, not only the worst (as a small run has it).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(budget, "HTML_EVIDENCE", 1 << 40)
        paths = write_report(run, tmp_path / "matrix.html")
    texts = {
        "html": paths.html.read_text(encoding="utf-8"),
        "json": paths.json.read_text(encoding="utf-8"),
        "terminal": "\n".join([*ending(run), *ending(run, verbose=True)]),
    }
    return texts, _fragments(pool.all)


@pytest.mark.parametrize("output", ["html", "json", "terminal"])
def test_no_eight_characters_of_a_secret_reach_the_output(
    outputs: tuple[dict[str, str], dict[str, str]], output: str
) -> None:
    texts, grams = outputs
    found = list(_leaks(texts[output], grams))
    assert not found, f"{len(found)} fragment(s) in the {output}, e.g. {found[:3]}"


def test_the_outputs_hold_no_raw_control_character(
    outputs: tuple[dict[str, str], dict[str, str]],
) -> None:
    texts, _ = outputs
    for name, text in texts.items():
        raw = [c for c in set(text) if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
        assert not raw, f"{name} holds {raw!r}"
        assert "\u202e" not in text
