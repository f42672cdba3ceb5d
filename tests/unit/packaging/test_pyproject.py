"""pyproject.toml declares what the code needs: the pins of requirements.txt, every package,
entry points that exist, one version."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

import mock_issuer
import oauthkit

ROOT = Path(__file__).resolve().parents[3]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
NOT_SHIPPED = {"tests", "benchmarks"}


def requirement_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name = line.split("==")[0]
            pins[name.split("[")[0].lower()] = line
    return pins


def declared() -> list[str]:
    extras = [req for group in PROJECT["optional-dependencies"].values() for req in group]
    return [*PROJECT["dependencies"], *extras]


@pytest.mark.parametrize("requirement", declared())
def test_each_declared_dependency_is_pinned_as_in_requirements_txt(requirement: str) -> None:
    name = requirement.split("==")[0].split("[")[0].lower()
    assert requirement_pins().get(name) == requirement


def test_every_requirement_is_declared_but_the_test_tools() -> None:
    names = {r.split("==")[0].split("[")[0].lower() for r in declared()}
    assert set(requirement_pins()) - names == {"pytest-xdist", "setuptools"} - names


def test_every_top_level_package_is_shipped_except_tests_and_benchmarks() -> None:
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    shipped = {pattern.rstrip("*") for pattern in patterns}
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - NOT_SHIPPED <= shipped


def test_every_file_a_shipped_package_needs_is_package_data() -> None:
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    patterns = [*patterns_for(data, "*")]
    for package in shipped_packages():
        for path in (ROOT / package).rglob("*"):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(ROOT / package).as_posix()
            wanted = [*patterns, *patterns_for(data, package)]
            assert any(fnmatch(relative, p) or fnmatch(path.name, p) for p in wanted), path


def patterns_for(data: dict[str, list[str]], package: str) -> list[str]:
    return data.get(package, [])


def shipped_packages() -> list[str]:
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    names = [pattern.rstrip("*") for pattern in patterns]
    return [name for name in names if (ROOT / name / "__init__.py").is_file()]


def test_the_mock_issuer_and_oauthkit_carry_the_same_version() -> None:
    assert mock_issuer.__version__ == oauthkit.__version__
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]["attr"] == "oauthkit.__version__"


@pytest.mark.parametrize("target", sorted(PROJECT["scripts"].values()))
def test_each_console_script_names_a_main_function(target: str) -> None:
    # Read, not imported: a `__main__` imported here would upset `runpy` in the samples' tests.
    module, function = target.split(":")
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    imported = {
        a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names
    }
    assert function in defined | imported


def test_pytest_plugins_are_registered_under_their_module_names() -> None:
    plugins = PROJECT["entry-points"]["pytest11"]
    assert plugins and all(name == module for name, module in plugins.items())
    for module in plugins.values():
        importlib.import_module(module)
