"""The diagram under each rules table of docs/architecture.md, made from the code: one box per
wing, an arrow where a module of one imports a module of another (dotted: loaded by a computed
name, as the doc's table of dynamic imports says). Under a folder's table, what lies outside the
folder is a box named after its wing in its own folder's table (or the tree's).
"""

from __future__ import annotations

from collections.abc import Iterable

from .doc import DOC, Doc, Row, Table, matches, read
from .tree import ROOT, DynamicImport, Import, Module, imports, modules

COMMAND = "python -m tests.unit.architecture --write"


def render(
    doc: Doc,
    table: Table,
    known: Iterable[Module],
    found: Iterable[Import],
    dynamic: Iterable[DynamicImport],
) -> list[str]:
    """The lines inside the table's ```mermaid block."""
    rows = [row.label for row in table.rows]
    outside: list[str] = []
    arrows: set[tuple[str, str, str]] = set()
    pairs = [(i.source.path, i.target.path, "-->") for i in found]
    for d in dynamic:
        for pattern in doc.dynamic.get(d.source.path, ()):
            pairs += [(d.source.path, m.path, "-.->") for m in known if matches(pattern, m.path)]
    for source, target, arrow in pairs:
        start, end = table.row_of(source), _box(doc, table, target)
        if start is None or end is None or end == start.label:
            continue
        if end not in rows and end not in outside:
            outside.append(end)
        arrows.add((start.label, end, arrow))
    boxes = rows + sorted(outside)
    ids = {label: f"w{number}" for number, label in enumerate(boxes)}
    lines = ["flowchart TD"]
    lines += [f'    {ids[label]}["{label}"]' for label in boxes]
    ordered = sorted(arrows, key=lambda a: (boxes.index(a[0]), boxes.index(a[1]), a[2]))
    lines += [f"    {ids[start]} {arrow} {ids[end]}" for start, end, arrow in ordered]
    return lines


def _box(doc: Doc, table: Table, path: str) -> str | None:
    """The box of a file: its wing in this table, else in its own folder's, else in the tree's."""
    own = doc.inner(path)
    row: Row | None = table.row_of(path) or (own and own.row_of(path)) or doc.tree.row_of(path)
    return row.label if row else None


def regenerate() -> str:
    """The doc with every diagram block made afresh from the code."""
    doc = read(DOC)
    known = tuple(modules(ROOT).values())
    found, dynamic = imports(ROOT)
    lines = list(doc.lines)
    for table in reversed(doc.tables):  # from the end, so earlier line numbers hold
        if table.diagram is None:
            raise SystemExit(f"{DOC}: a rules table has no ```mermaid block after it")
        start, end = table.diagram
        lines[start:end] = render(doc, table, known, found, dynamic)
    return "\n".join(lines) + "\n"
