"""Small rooms (docs/architecture.md, "Sizes"): no module over 250 lines, no function over 40,
except the data tables the doc names; at most 8 modules at the top of `harness/`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .doc import read
from .tree import ROOT, modules

MAX_MODULE_LINES = 250
MAX_FUNCTION_LINES = 40
MAX_HARNESS_TOP_MODULES = 8
MARKER = "data table"


def rooms() -> Iterator[tuple[str, int, str]]:
    """Each module and function: its name (`path` or `path:Class.function`), its lines, and
    its docstring."""
    for module in modules().values():
        text = module.file.read_text(encoding="utf-8")
        tree = ast.parse(text, module.path)
        yield module.path, len(text.splitlines()), ast.get_docstring(tree) or ""
        yield from _functions(tree, module.path + ":")


def _functions(node: ast.AST, prefix: str) -> Iterator[tuple[str, int, str]]:
    for child in ast.iter_child_nodes(node):
        name = prefix
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{child.name}."
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (child.end_lineno or child.lineno) - child.lineno + 1
            yield name[:-1], lines, ast.get_docstring(child) or ""
        yield from _functions(child, name)


def over_the_limit() -> list[tuple[str, str]]:
    """Modules and functions over their limit: each name with its docstring."""
    return [
        (name, doc)
        for name, lines, doc in rooms()
        if lines > (MAX_FUNCTION_LINES if ":" in name else MAX_MODULE_LINES)
    ]


def test_no_module_or_function_is_over_its_limit_but_the_data_tables() -> None:
    oversized = sorted(name for name, doc in over_the_limit() if MARKER not in doc.lower())
    assert oversized == [], (
        f"split them: modules of at most {MAX_MODULE_LINES} lines, functions of at most "
        f"{MAX_FUNCTION_LINES}"
    )


def test_the_exempt_data_tables_are_the_ones_the_doc_names() -> None:
    exempt = {name for name, doc in over_the_limit() if MARKER in doc.lower()}
    assert exempt == set(read().data_tables), "list each in docs/architecture.md, 'Sizes'"


def test_harness_holds_at_most_eight_modules_at_its_top() -> None:
    top = sorted(p.name for p in (ROOT / "harness").glob("*.py"))
    assert len(top) <= MAX_HARNESS_TOP_MODULES, top
