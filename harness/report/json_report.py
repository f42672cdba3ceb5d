"""The report's JSON twin, ``matrix.json``: written piece by piece, read back as a run.

The head first (``verdict``, ``totals``, ``missing``, then ``info``), then one result per line,
then the observations: a reader can stop after the head, ``grep`` finds one result per line,
and writing holds only one result's text at a time. Control characters stay JSON escapes
(``\\u001b``, RFC 8259 §7) even where ``json`` would write them raw (DEL, C1, bidi marks).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from harness.model.results import RunResult
from harness.model.serial import NotSerial
from harness.model.text import json_safe
from harness.report.summary import count


class NotAReport(ValueError):
    """A file that is not a harness JSON report; the message says what is wrong, in words."""


def _dumps(value: Any) -> str:
    return json_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def head(run: RunResult) -> dict[str, Any]:
    """What the JSON twin says first: the verdict, the totals, the missing settings."""
    totals = {**asdict(count(run.results)), "total": len(run.results)}
    return {
        "verdict": str(run.verdict),
        "totals": totals,
        "missing": {name: len(found) for name, found in run.missing.items()},
    }


def json_chunks(run: RunResult) -> Iterator[str]:
    """The JSON document in pieces (one per result), together a valid JSON object."""
    yield "{\n"
    for name, value in head(run).items():
        yield f'"{name}": {_dumps(value)},\n'
    yield f'"info": {_dumps(run.info.to_dict())},\n"results": [\n'
    for n, result in enumerate(run.results):
        yield ("" if n == 0 else ",\n") + _dumps(result.to_dict())
    yield '\n],\n"observations": [\n'
    for n, observation in enumerate(run.observations):
        yield ("" if n == 0 else ",\n") + _dumps(observation.to_dict())
    yield "\n]\n}\n"


def render_json(run: RunResult) -> str:
    """The whole JSON twin as one string (tests; files are written with `write_json`)."""
    return "".join(json_chunks(run))


def write_json(run: RunResult, out: TextIO) -> None:
    """Write the JSON twin to ``out`` as it is built."""
    for chunk in json_chunks(run):
        out.write(chunk)


def read_json(json_path: Path) -> RunResult:
    """Load a run back from its JSON twin; `NotAReport` when it is not one (OSError as is)."""
    raw = Path(json_path).read_bytes()
    if not raw.strip():
        raise NotAReport("it is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise NotAReport(f"it is not UTF-8 text (byte {exc.start} is invalid)") from None
    except ValueError as exc:
        raise NotAReport(f"it is not JSON ({exc})") from None
    return run_from(data)


REQUIRED = ("info", "results")
_NAMES = ("subject", "variant", "check_id", "id")  # what names an entry in an error
_PATH = re.compile(r"(?P<part>info|results|observations)(?:\[(?P<n>\d+)\])?\.?(?P<member>.*)")


def run_from(data: Any) -> RunResult:
    """A run from parsed JSON; `NotAReport` naming what is missing or of the wrong kind."""
    if not isinstance(data, dict):
        raise NotAReport("it holds no JSON object (a harness report is one)")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise NotAReport(f"it has no {' and no '.join(repr(k) for k in missing)} member "
                         "(the JSON twin of a harness report, matrix.json, has both)")  # fmt: skip
    try:
        return RunResult.from_dict(data)
    except NotSerial as exc:
        raise NotAReport(_where(data, exc)) from None


def _where(data: dict[str, Any], exc: NotSerial) -> str:
    """`exc` in words: which entry (a result by its number, check and variant), which member."""
    found = _PATH.fullmatch(exc.where)
    if found is None:
        return f"{exc.where} {exc.problem}"
    part, n, member = found["part"], found["n"], found["member"]
    what = f"the member {member!r}" if member else "it"
    if part == "info":
        return f"its info: {what} {exc.problem}"
    if n is None:
        return f"its {part}: {what} {exc.problem}"
    entries = data[part]
    entry = entries[int(n)]
    names = [entry.get(k) for k in _NAMES] if isinstance(entry, dict) else []
    named = ", ".join(name for name in names if isinstance(name, str))
    named = f" ({named})" if named else ""
    kind = "result" if part == "results" else "observation"
    return f"{kind} {int(n) + 1} of {len(entries)}{named}: {what} {exc.problem}"
