"""oauthkit's doors: the names of its `__all__` are what code outside it imports, its
application glue stays in its sub-packages, and its rooms stay small."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FACES = ("oauthkit", "oauthkit.fastapi", "oauthkit.commands")
GLUE = ("oauthkit.fastapi", "oauthkit.commands")
OUTSIDE = sorted(
    path
    for folder in ROOT.iterdir()
    if folder.is_dir() and (folder / "__init__.py").is_file()
    and folder.name not in ("oauthkit", "tests")
    for path in folder.rglob("*.py")
)  # fmt: skip
MAX_MODULE_LINES = 250
MAX_FUNCTION_LINES = 40


def imports_of_oauthkit(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) of each import of oauthkit in the file at `path`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "oauthkit":
                yield node.lineno, node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "oauthkit":
                    yield node.lineno, alias.name, []


@pytest.mark.parametrize("face", FACES)
def test_every_public_name_is_there(face: str) -> None:
    module = importlib.import_module(face)
    assert [name for name in module.__all__ if not hasattr(module, name)] == []


def test_no_name_is_public_in_two_faces() -> None:
    names = [name for face in FACES for name in importlib.import_module(face).__all__]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_code_outside_oauthkit_imports_only_its_public_names() -> None:
    public = {face: set(importlib.import_module(face).__all__) for face in FACES}
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {module} {names}"
        for path in OUTSIDE
        for line, module, names in imports_of_oauthkit(path)
        if module not in public or not set(names) <= public[module]
    ]
    assert wrong == []


def test_the_rfc_modules_import_no_application_glue() -> None:
    core = sorted((ROOT / "oauthkit").glob("*.py"))
    upward = [
        f"{path.name}:{line}: {module}"
        for path in core
        for line, module, _ in imports_of_oauthkit(path)
        if module.startswith(GLUE)
    ]
    assert upward == []


def test_no_module_of_oauthkit_is_over_250_lines_nor_a_function_over_40() -> None:
    too_long = []
    for path in sorted((ROOT / "oauthkit").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []
