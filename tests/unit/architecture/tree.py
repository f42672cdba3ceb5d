"""The project's modules and every import between them, read from the source by an AST walk.

Project modules are the `.py` files of the top-level packages (a folder with `__init__.py`;
`tests/` has none and is not read). An import is any `import` or `from ... import` statement,
wherever it stands (inside functions too), and `importlib.import_module` or `__import__` called
with a literal name; those called with a computed name are *dynamic*, listed apart.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Module:
    """One project module: its dotted name and its path from the repository root."""

    name: str
    path: str
    file: Path

    @property
    def is_package(self) -> bool:
        return self.file.name == "__init__.py"


@dataclass(frozen=True)
class Import:
    """An import of a project module by another, with the line that makes it."""

    source: Module
    target: Module
    line: int


@dataclass(frozen=True)
class DynamicImport:
    """A call of `import_module` or `__import__` whose name is computed: not followed."""

    source: Module
    line: int


@cache
def modules(root: Path = ROOT) -> dict[str, Module]:
    """Every project module by dotted name."""
    found: dict[str, Module] = {}
    for init in sorted(root.glob("*/__init__.py")):
        for file in sorted(init.parent.rglob("*.py")):
            parts = list(file.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join(parts)
            found[name] = Module(name, file.relative_to(root).as_posix(), file)
    return found


@cache
def imports(root: Path = ROOT) -> tuple[tuple[Import, ...], tuple[DynamicImport, ...]]:
    """Every import between project modules, and the dynamic imports."""
    known = modules(root)
    found: list[Import] = []
    dynamic: list[DynamicImport] = []
    for module in known.values():
        tree = ast.parse(module.file.read_text(encoding="utf-8"), module.path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _imports_by_call(node):
                name = _literal_name(node)
                if name is None:
                    dynamic.append(DynamicImport(module, node.lineno))
                    continue
                names = [name]
            else:
                names = _named_by(node, module)
            for target in {t for n in names if (t := _project_module(n, known)) is not None}:
                found.append(Import(module, target, node.lineno))
    return tuple(found), tuple(dynamic)


def _named_by(node: ast.AST, module: Module) -> list[str]:
    """The dotted names an import statement loads (`from m import n`: `m.n`, a module or a name)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        package = module.name.split(".")
        if not module.is_package:
            package.pop()
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, *([base] if base else [])])
    return [f"{base}.{alias.name}" for alias in node.names]


def _project_module(name: str, known: dict[str, Module]) -> Module | None:
    """The project module a dotted name loads: the longest known prefix of it, if any."""
    parts = name.split(".")
    while parts and ".".join(parts) not in known:
        parts.pop()
    return known[".".join(parts)] if parts else None


def _imports_by_call(node: ast.Call) -> bool:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name in ("import_module", "__import__")


def _literal_name(node: ast.Call) -> str | None:
    first = node.args[0] if node.args else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None
