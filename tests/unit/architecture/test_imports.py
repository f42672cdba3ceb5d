"""The imports of the code are the ones docs/architecture.md allows, and its diagrams are the
ones the code draws."""

from __future__ import annotations

from pathlib import Path

import pytest

from .diagram import COMMAND, render
from .doc import Doc, Row, Table, matches, read
from .rules import circles, rule_circles, stale, undeclared_dynamic, unplaced, violations
from .tree import Import, Module, imports, modules

DOC = read()
MODULES = tuple(modules().values())
IMPORTS, DYNAMIC = imports()


def test_every_module_is_in_a_wing_of_the_doc() -> None:
    assert unplaced(DOC, MODULES) == [], "add each to a row of docs/architecture.md"


def test_every_path_the_doc_names_holds_a_module() -> None:
    assert stale(DOC, MODULES) == [], "moved or gone: update docs/architecture.md"


def test_every_import_is_one_the_doc_allows() -> None:
    assert violations(DOC, IMPORTS) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert circles(IMPORTS) == []


def test_the_rules_themselves_allow_no_circle_between_wings() -> None:
    assert rule_circles(DOC, MODULES) == []


def test_computed_imports_stand_only_where_the_doc_names_them() -> None:
    assert undeclared_dynamic(DOC, DYNAMIC) == [], "name each in 'Dynamic imports'"
    assert set(DOC.dynamic) == {d.source.path for d in DYNAMIC}


@pytest.mark.parametrize("number", range(len(DOC.tables)))
def test_each_diagram_is_the_one_the_code_draws(number: int) -> None:
    table = DOC.tables[number]
    assert table.diagram is not None, "put a ```mermaid block after the table"
    start, end = table.diagram
    drawn = render(DOC, table, MODULES, IMPORTS, DYNAMIC)
    assert list(DOC.lines[start:end]) == drawn, f"the code moved: run {COMMAND}"


def test_the_walk_finds_imports_in_functions_relative_ones_and_literal_import_module(
    tmp_path: Path,
) -> None:
    write(tmp_path / "pkg" / "__init__.py", "from pkg.low import x\n")
    write(tmp_path / "pkg" / "low.py", "x = 1\n")
    write(tmp_path / "pkg" / "sub" / "__init__.py", "")
    write(tmp_path / "pkg" / "sub" / "a.py", "def f():\n    from .. import low\n")
    write(
        tmp_path / "pkg" / "sub" / "b.py",
        "import importlib\nimportlib.import_module('pkg.sub.a')\n",
    )
    write(tmp_path / "pkg" / "sub" / "c.py", "import importlib\nimportlib.import_module(name)\n")
    found, dynamic = imports(tmp_path)
    pairs = {(i.source.path, i.target.path) for i in found}
    assert pairs == {
        ("pkg/__init__.py", "pkg/low.py"),
        ("pkg/sub/a.py", "pkg/low.py"),
        ("pkg/sub/b.py", "pkg/sub/a.py"),
    }
    assert [(d.source.path, d.line) for d in dynamic] == [("pkg/sub/c.py", 2)]


def test_an_upward_import_breaks_the_rules() -> None:
    report, checks = module("harness/report/html.py"), module("harness/checks/base.py")
    assert violations(DOC, [Import(report, checks, 1)]) == [
        "harness/report/html.py:1 imports harness/checks/base.py, but harness/report/ may "
        "import harness/model/ only"
    ]


def test_passing_the_mock_issuers_door_breaks_the_rules() -> None:
    targets, store = module("harness/targets/mock.py"), module("mock_issuer/store.py")
    (problem,) = violations(DOC, [Import(targets, store, 7)])
    assert problem.startswith("harness/targets/mock.py:7 imports mock_issuer/store.py")


def test_passing_oauthkits_doors_breaks_the_rules() -> None:
    sample, settings = module("api_jwt/app.py"), module("oauthkit/settings.py")
    (problem,) = violations(DOC, [Import(sample, settings, 3)])
    assert problem.startswith("api_jwt/app.py:3 imports oauthkit/settings.py")


def test_a_circle_is_found() -> None:
    a, b, c = (
        module("oauthkit/errors.py"),
        module("oauthkit/bearer.py"),
        module("oauthkit/clock.py"),
    )
    loop = [Import(a, b, 1), Import(b, c, 1), Import(c, a, 1)]
    assert circles(loop) == [["oauthkit/bearer.py", "oauthkit/clock.py", "oauthkit/errors.py"]]


def test_rules_that_allow_each_other_are_a_circle() -> None:
    rows = [
        Row(("oauthkit/errors.py",), ("oauthkit/bearer.py",)),
        Row(("oauthkit/*.py",), ("oauthkit/errors.py",)),
    ]
    doc = Doc((), (Table(rows),), {}, frozenset())
    assert rule_circles(doc, MODULES) == [["oauthkit/*.py", "oauthkit/errors.py"]]


@pytest.mark.parametrize(
    ("pattern", "path", "held"),
    [
        ("harness/", "harness/model/results.py", True),
        ("harness/model/", "harness/model/results.py", True),
        ("harness/model/", "harness/modelling.py", False),
        ("oauthkit/*.py", "oauthkit/errors.py", True),
        ("oauthkit/*.py", "oauthkit/fastapi/app.py", False),
        ("api_*/", "api_jwt/app.py", True),
        ("mock_issuer/__init__.py", "mock_issuer/__init__.py", True),
        ("mock_issuer/__init__.py", "mock_issuer/store.py", False),
        ("mock_issuer/lie*.py", "mock_issuer/lie_layer.py", True),
    ],
)
def test_a_doc_path_holds_the_files_it_names(pattern: str, path: str, held: bool) -> None:
    assert matches(pattern, path) is held


def test_a_file_belongs_to_the_row_whose_path_is_the_longest() -> None:
    rows = [Row(("oauthkit/__init__.py",), ()), Row(("oauthkit/*.py",), ())]
    table = Table(rows)
    assert table.row_of("oauthkit/__init__.py") is rows[0]
    assert table.row_of("oauthkit/errors.py") is rows[1]
    assert table.scope == "oauthkit/"


def module(path: str) -> Module:
    return next(m for m in MODULES if m.path == path)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
