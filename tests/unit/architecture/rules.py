"""The doc's rules held against the code: modules no wing holds, paths that hold nothing,
imports a rule does not allow, circles, and the diagram of each table made from the imports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .doc import Doc, Row, Table, matches
from .tree import DynamicImport, Import, Module


def unplaced(doc: Doc, modules: Iterable[Module]) -> list[str]:
    """Modules outside every wing of the tree, or of the table that splits their folder."""
    problems = []
    for module in modules:
        if doc.tree.row_of(module.path) is None:
            problems.append(f"{module.path} is in no wing of the tree table")
        table = doc.inner(module.path)
        if table is not None and table.row_of(module.path) is None:
            problems.append(f"{module.path} is in no wing of the table of {table.scope}")
    return problems


def stale(doc: Doc, modules: Iterable[Module]) -> list[str]:
    """Paths in the doc's tables that hold no module (a file moved or gone)."""
    paths = [module.path for module in modules]
    named = {p for table in doc.tables for row in table.rows for p in (*row.members, *row.allowed)}
    named |= {p for source, loads in doc.dynamic.items() for p in (source, *loads)}
    return sorted(p for p in named if not any(matches(p, path) for path in paths))


def violations(doc: Doc, imports: Iterable[Import]) -> list[str]:
    """Every import that a wing's row, in the tree table or its own folder's, does not allow."""
    problems = []
    for found in imports:
        source, target = found.source.path, found.target.path
        for table in (doc.inner(source), doc.tree):  # the closer rule speaks first
            row = table.row_of(source) if table else None
            if table is not None and row is not None and not table.allows(row, target):
                problems.append(
                    f"{source}:{found.line} imports {target}, but {row.label} may import "
                    f"{row.rule} only"
                )
                break
    return problems


def undeclared_dynamic(doc: Doc, dynamic: Iterable[DynamicImport]) -> list[str]:
    """Computed imports in files the doc's table of dynamic imports does not name."""
    return [f"{d.source.path}:{d.line}" for d in dynamic if d.source.path not in doc.dynamic]


def circles(imports: Iterable[Import]) -> list[list[str]]:
    """Modules that import each other in a loop (each strongly connected group, sorted)."""
    graph: dict[str, set[str]] = {}
    for found in imports:
        graph.setdefault(found.source.path, set()).add(found.target.path)
        graph.setdefault(found.target.path, set())
    return [sorted(group) for group in _strong_groups(graph) if _loops(group, graph)]


def rule_circles(doc: Doc, modules: Iterable[Module]) -> list[list[str]]:
    """Wings whose rules let them import each other in a loop: the layers must be a tree."""
    paths = [module.path for module in modules]
    found = []
    for table in doc.tables:
        graph = {row.label: _allowed_rows(table, row, paths) for row in table.rows}
        found += [sorted(g) for g in _strong_groups(graph) if _loops(g, graph)]
    return found


def _allowed_rows(table: Table, row: Row, paths: list[str]) -> set[str]:
    return {
        other.label
        for other in table.rows
        if other is not row
        and any(table.row_of(p) is other and table.allows(row, p) for p in paths)
    }


def _loops(group: list[str], graph: dict[str, set[str]]) -> bool:
    return len(group) > 1 or group[0] in graph[group[0]]


def _strong_groups(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Tarjan's strongly connected components, iterative (deep import chains)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = stack[stack.index(node) :]
                    del stack[stack.index(node) :]
                    yield group
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in stack:
                low[node] = min(low[node], index[child])
