"""The pytest plugin, run in inner pytest sessions (pytester): verdicts, skips and the report."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

# httpx imports httpcore lazily. Imported first inside an in-process inner session, it would be
# dropped with that session's modules, and httpx would then map only the dropped module's
# exceptions: later transport errors in this process escape as raw httpcore errors (500s).
import httpcore  # noqa: F401
import pytest

import harness

pytestmark = pytest.mark.e2e

REPO = Path(harness.__file__).resolve().parent.parent
MATRIX_TEST = (REPO / "tests" / "matrix" / "test_matrix.py").read_text(encoding="utf-8")
# An api_basic_auth that lets everyone into /api/private: a MUST and a SHOULD check fail.
OPEN_DOOR_CONFTEST = """
import pytest
from fastapi.responses import JSONResponse

import api_basic_auth.app
from harness.model.matrix import Mechanism
from harness.targets.spec import TargetSpec


def open_door(settings):
    app = api_basic_auth.app.create_app(settings)

    @app.middleware("http")
    async def allow(request, call_next):
        if request.url.path == "/api/private":
            return JSONResponse({"ok": True})
        return await call_next(request)

    return app


@pytest.fixture(scope="session")
def harness_target():
    target = TargetSpec(factories={Mechanism.CLIENT_SECRET_BASIC: open_door}).build()
    yield target
    target.close()
"""


def _results(report: Path) -> list[dict[str, object]]:
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    results: list[dict[str, object]] = data["results"]
    return results


def test_matrix_tests_pass_skip_with_reasons_and_write_the_report(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    report = tmp_path / "out" / "matrix.html"
    checks = "ROUTE-public-without-token,RFC6749-5.1-token-response,RFC6750-2.1-valid-token"
    result = pytester.runpytest_inprocess(
        "-p", "harness.pytest_plugin", "--cells", "5", "--checks", checks,
        "--report", str(report), "-rs",
    )  # fmt: skip
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["*not applicable: a PAT is created ahead of time*"])
    result.stdout.fnmatch_lines(["*introspection matrix*", f"report: {report}*"])
    statuses = {(r["check_id"], r["status"]) for r in _results(report)}
    assert statuses == {
        ("ROUTE-public-without-token", "passed"),
        ("RFC6750-2.1-valid-token", "passed"),
        ("RFC6749-5.1-token-response", "not_applicable"),
    }


def test_a_failed_must_check_fails_its_test_and_a_failed_should_check_is_xfailed_not_passed(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    pytester.makeconftest(OPEN_DOOR_CONFTEST)
    report, junit = tmp_path / "matrix.html", tmp_path / "junit.xml"
    checks = "RFC6750-3.1-no-credentials,RFC6750-2-header-and-query-400"
    result = pytester.runpytest_inprocess(
        "-p", "harness.pytest_plugin", "--cells", "4", "--checks", checks, "--report", str(report),
        f"--junitxml={junit}",
    )  # fmt: skip
    result.assert_outcomes(failed=2, xfailed=2)
    result.stdout.fnmatch_lines(["*expected HTTP 401 with WWW-Authenticate: Bearer*"])
    html = report.read_text(encoding="utf-8")
    assert "FAIL (SHOULD)" in html
    assert {r["status"] for r in _results(report)} == {"failed"}
    cases = {case.get("name", ""): case for case in ElementTree.parse(junit).iter("testcase")}
    assert len(cases) == 4
    for name, case in cases.items():
        values = {p.get("name"): json.loads(p.get("value", "")) for p in case.iter("property")}
        found, planned = values["harness_result"], values["harness_case"]
        assert found["check_level"] == planned["check_level"]  # the check's own, in both
        if found["level"] == "SHOULD":  # a SHOULD failure: JUnit's warning form, not a pass
            (skipped,) = case.iter("skipped")
            assert skipped.get("type") == "pytest.xfail"
            assert "SHOULD failure (does not fail the run)" in skipped.get("message", "")
            assert "header-and-query" in name and not list(case.iter("failure"))
        else:
            assert found["fail_open"] and list(case.iter("failure")), name


def test_junit_xml_carries_the_results_as_json_not_python_reprs(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    junit = tmp_path / "junit.xml"
    result = pytester.runpytest_inprocess(
        "-p", "harness.pytest_plugin", "--cells", "6", "--checks", "ROUTE-public-without-token",
        "--report", str(tmp_path / "matrix.html"), f"--junitxml={junit}",
    )  # fmt: skip
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*Verdict: PASSED*"])
    values = {
        prop.get("name"): prop.get("value", "")
        for prop in ElementTree.parse(junit).iter("property")
    }
    result_data = json.loads(values["harness_result"])
    assert result_data["check_id"] == "ROUTE-public-without-token"
    assert result_data["status"] == "passed"
    assert json.loads(values["harness_case"])["cell"] == 6


def test_the_report_is_written_even_when_the_run_fails(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    pytester.makeconftest(OPEN_DOOR_CONFTEST)
    report = tmp_path / "matrix.html"
    result = pytester.runpytest_inprocess(
        "-p", "harness.pytest_plugin", "--cells", "6", "--checks", "RFC6750-3.1-no-credentials",
        "--report", str(report),
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert report.is_file() and report.with_suffix(".json").is_file()


def test_under_xdist_the_report_has_every_case_exactly_once(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    report = tmp_path / "matrix.html"
    checks = "ROUTE-public-without-token,RFC6750-3.1-no-credentials,RFC6750-3.1-garbage-token"
    result = pytester.runpytest_subprocess(
        "-p", "harness.pytest_plugin", "-p", "xdist", "-n", "2", "--cells", "1,2,5",
        "--checks", checks, "--report", str(report),
    )  # fmt: skip
    result.assert_outcomes(passed=15)
    keys = [(r["variant"], r["check_id"]) for r in _results(report)]
    assert len(keys) == len(set(keys)) == 15
    html = report.read_text(encoding="utf-8")
    for number in range(1, 7):  # the cells that ran once each, those that did not not drawn
        assert html.count(f'<section id="cell{number}">') == (number in (1, 2, 5))


def test_subject_runs_the_matrix_against_the_api_a_subject_file_describes(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    report = tmp_path / "matrix.html"
    subject = REPO / "api_basic_auth" / "subject.toml"
    result = pytester.runpytest_inprocess(
        "-p", "harness.pytest_plugin", "--subject", str(subject), "--cells", "3,4",
        "--checks", "ROUTE-public-without-token", "--report", str(report), "-v",
    )  # fmt: skip
    result.assert_outcomes(passed=2)  # cell 3 is private_key_jwt: not this subject's
    result.stdout.fnmatch_lines(["*api_basic_auth-cell4-cc-basic-opaque-ROUTE-public*PASSED*"])
    assert {r["subject"] for r in _results(report)} == {"api_basic_auth"}


def test_a_bad_subject_file_stops_the_session_with_its_problem(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nmechanism = "magic"\ncommand = ["a"]\n', encoding="utf-8")
    result = pytester.runpytest_inprocess("-p", "harness.pytest_plugin", "--subject", str(bad))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*bad.toml: mechanism is 'magic'; allowed:*"])


def test_a_known_deviation_is_xfailed_with_its_reason_not_failed_nor_passed(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_matrix=MATRIX_TEST)
    served = tmp_path / "served"
    (served / "api").mkdir(parents=True)
    (served / "api" / "public").write_text("ok", encoding="utf-8")
    subject = tmp_path / "static.toml"  # a file server: /api/private is a 404, not a 401
    subject.write_text(
        'name = "static"\nmechanism = "client_secret_basic"\n'
        f'command = ["{{python}}", "-m", "http.server", "{{port}}", "--bind", "127.0.0.1",'
        f' "--directory", "{served}"]\n'
        '[expect]\nfail = ["RFC6750-3.1-no-credentials"]\n',
        encoding="utf-8",
    )
    result = pytester.runpytest_inprocess(
        "-p", "harness.pytest_plugin", "--subject", str(subject), "--cells", "6",
        "--checks", "RFC6750-3.1-no-credentials", "--report", str(tmp_path / "m.html"), "-rx",
    )  # fmt: skip
    result.assert_outcomes(xfailed=1)
    result.stdout.fnmatch_lines(["*MUST failure, a known deviation (the subject file's*"])
    assert result.ret == pytest.ExitCode.OK
