"""What docs/architecture.md states, read from its tables: the wings and what each may import,
the dynamic imports, the data tables; and where its generated diagrams stand.

A rules table has the header `| wing | may import | ... |`. Its first cell names the wing's
files by paths in backticks (`harness/model/` a folder, `oauthkit/*.py` a glob whose `*` stays
inside one folder, `harness/cli.py` one file); the second names, the same way, what the wing may
import besides itself, or says "the rows below" (every row under it in its table), or "nothing".
The first rules table is the tree's (one folder per wing); each further one splits one
top-level folder. A module belongs, in each table that covers it, to the row whose matching
path is the longest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .tree import ROOT

DOC = ROOT / "docs" / "architecture.md"
CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True, eq=False)
class Row:
    """One wing: the paths that hold its files, the paths it may import."""

    members: tuple[str, ...]
    allowed: tuple[str, ...]
    below: tuple[Row, ...] = ()

    @property
    def label(self) -> str:
        return ", ".join(self.members)

    @property
    def rule(self) -> str:
        """What the row allows, as the doc says it."""
        named = [*self.allowed, *(["the rows below"] if self.below else [])]
        return ", ".join(named) or "nothing"

    def longest_match(self, path: str) -> int:
        """The length of the longest of this wing's paths that holds `path`, or -1."""
        return max((len(m) for m in self.members if matches(m, path)), default=-1)


@dataclass
class Table:
    """A rules table, and the lines of the diagram block that follows it (if any)."""

    rows: list[Row]
    diagram: tuple[int, int] | None = None
    scope: str | None = field(init=False)

    def __post_init__(self) -> None:
        tops = {m.split("/")[0] for row in self.rows for m in row.members}
        inner = any("/" in m.rstrip("/") for row in self.rows for m in row.members)
        self.scope = f"{min(tops)}/" if inner and len(tops) == 1 else None

    def row_of(self, path: str) -> Row | None:
        """The row holding `path`: the one whose matching path is the longest."""
        best = max(self.rows, key=lambda row: row.longest_match(path))
        return best if best.longest_match(path) >= 0 else None

    def allows(self, row: Row, path: str) -> bool:
        """Whether a file of `row` may import the file at `path`, by this table."""
        held = self.row_of(path)
        if held is row or (held is not None and held in row.below):
            return True
        return any(matches(pattern, path) for pattern in row.allowed)


@dataclass(frozen=True)
class Doc:
    """Everything the tests read from docs/architecture.md."""

    lines: tuple[str, ...]
    tables: tuple[Table, ...]
    dynamic: dict[str, tuple[str, ...]]
    data_tables: frozenset[str]

    @property
    def tree(self) -> Table:
        return self.tables[0]

    def inner(self, path: str) -> Table | None:
        """The table that splits the top-level folder of `path`, if any."""
        top = path.split("/")[0] + "/"
        return next((t for t in self.tables[1:] if t.scope == top), None)


def matches(pattern: str, path: str) -> bool:
    """Whether a doc path (folder `a/`, glob `a/*.py`, file `a/b.py`) holds a file's path."""
    glob = re.escape(pattern.rstrip("/")).replace(r"\*", "[^/]*")
    return re.fullmatch(glob + ("/.+" if pattern.endswith("/") else ""), path) is not None


@cache
def read(doc: Path = DOC) -> Doc:
    """Parse the doc: its rules tables with their diagrams, dynamic imports and data tables."""
    lines = tuple(doc.read_text(encoding="utf-8").splitlines())
    tables: list[Table] = []
    dynamic: dict[str, tuple[str, ...]] = {}
    data_tables: set[str] = set()
    for start, header, body in _markdown_tables(lines):
        if header[:2] == ["wing", "may import"]:
            tables.append(Table(_rows(body), _diagram_after(lines, start)))
        elif header[:1] == ["dynamic import in"]:
            dynamic |= {_codes(cells[0])[0]: _codes(cells[1]) for cells in body}
        elif header[:1] == ["data table"]:
            data_tables |= {_codes(cells[0])[0] for cells in body}
    return Doc(lines, tuple(tables), dynamic, frozenset(data_tables))


def _rows(body: list[list[str]]) -> list[Row]:
    rows: list[Row] = []
    for cells in reversed(body):  # bottom first, so "the rows below" are known
        below = tuple(rows) if "rows below" in cells[1] else ()
        rows.insert(0, Row(_codes(cells[0]), _codes(cells[1]), below))
    return rows


def _codes(cell: str) -> tuple[str, ...]:
    return tuple(CODE.findall(cell))


def _markdown_tables(lines: tuple[str, ...]) -> list[tuple[int, list[str], list[list[str]]]]:
    """Each table: its first line's index, its header cells (lower case) and its body rows."""
    found = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith("|"):
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index].startswith("|"):
            index += 1
        cells = [
            [c.strip() for c in line.strip().strip("|").split("|")] for line in lines[start:index]
        ]
        found.append((start, [c.lower() for c in cells[0]], cells[2:]))
    return found


def _diagram_after(lines: tuple[str, ...], start: int) -> tuple[int, int] | None:
    """The first ```mermaid block after line `start`, before the next rules table."""
    for index in range(start + 1, len(lines)):
        if lines[index].lower().startswith("| wing | may import"):
            return None
        if lines[index].strip() == "```mermaid":
            end = lines.index("```", index + 1)
            return index + 1, end
    return None
