"""`harness merge` is honest: a cell no shard ran leaves the run INCOMPLETE, shards that do not
make one run are refused naming both files, and a bad file is explained in words."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.model.matrix import Mode, cells, variants
from harness.model.results import CheckResult, Level, RunInfo, RunResult, Status, Verdict
from harness.model.runinfo import PROJECT, SubjectInfo
from harness.report.json_report import render_json
from harness.report.merge import ShardsDoNotFit, merge
from harness.subcommands import main

from .conftest import make_result

CHECK = "RFC6750-3.1-no-credentials"


def _shard(
    numbers: list[int], command: str, subject: str = "", version: str = "1.0", **extra: object
) -> RunResult:
    """A run of the built-in samples (or ``subject``) in ``numbers``, every variant passing."""
    fields: dict[str, object] = {"check_level": Level.MUST, **extra}
    results = [
        make_result(v.slug, CHECK, subject=subject, **fields)
        for c in cells() if c.number in numbers for v in variants(c, Mode.MOCK)
    ]  # fmt: skip
    info = RunInfo("mock", "http://127.0.0.1:1", "2026-12-01T10:00:00+00:00", 2.0, command,
                   versions={PROJECT: version})  # fmt: skip
    return RunResult(info, tuple(results))


def _write(path: Path, run: RunResult) -> str:
    path.write_text(render_json(run), encoding="utf-8")
    return str(path)


def _merge_command(tmp_path: Path, *files: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    report = tmp_path / "merged" / "matrix.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", err)
        status = main(["merge", *files, "--report", str(report)], out)
    return status, out.getvalue(), err.getvalue()


def test_two_shards_covering_four_of_nine_cells_make_an_incomplete_run_naming_the_rest() -> None:
    run, _ = merge([("a.json", _shard([1, 2], "--cells 1,2")),
                    ("b.json", _shard([3, 4], "--cells 3,4"))])  # fmt: skip
    assert run.verdict is Verdict.INCOMPLETE
    assert run.info.problems == ("built-in samples: no shard ran cell(s) 5, 6, 7, 8, 9 of 9",)


def test_a_subject_is_owed_the_cells_of_its_mechanism_only() -> None:
    partial = [("a.json", _shard([1], "--cells 1", subject="my-api")),
               ("b.json", _shard([3], "--cells 3", subject="my-api"))]  # fmt: skip
    run, _ = merge(partial)
    assert run.info.problems == ("subject my-api: no shard ran cell(s) 5 of 3",)
    whole, _ = merge([*partial, ("c.json", _shard([5], "--cells 5", subject="my-api"))])
    assert whole.verdict is Verdict.PASSED and whole.info.problems == ()


def test_the_merge_command_exits_3_and_names_the_missing_cells_once(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.json", _shard([1, 2], "--cells 1,2"))
    b = _write(tmp_path / "b.json", _shard([3, 4], "--cells 3,4"))
    status, out, _ = _merge_command(tmp_path, a, b)
    assert status == 3
    assert out.count("no shard ran cell(s) 5, 6, 7, 8, 9 of 9") == 1
    assert "Verdict: INCOMPLETE" in out


def test_conflicts_are_printed_once(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.json", _shard(list(range(1, 10)), "first"))
    failed = _shard([1], "second", status=Status.FAILED, level=Level.SHOULD)
    b = _write(tmp_path / "b.json", failed)
    status, out, _ = _merge_command(tmp_path, a, b)
    assert status == 3
    assert out.count("conflicting results for cell1-jwtp-pkjwt-opaque") == 1


@pytest.mark.parametrize("same_file", [True, False], ids=["same path", "latest and kept copy"])
def test_the_same_run_given_twice_is_an_error_naming_both_files(
    tmp_path: Path, same_file: bool
) -> None:
    run = _shard(list(range(1, 10)), "python -m harness")
    a = _write(tmp_path / "a.json", run)
    b = a if same_file else _write(tmp_path / "b.json", run)
    status, out, err = _merge_command(tmp_path, a, b)
    assert status == 2 and out == ""
    assert f"error: {a} and {b} are the same run" in err
    assert not (tmp_path / "merged").exists()


def test_shards_of_two_versions_are_an_error_naming_both_files_and_versions(
    tmp_path: Path,
) -> None:
    a = _write(tmp_path / "a.json", _shard([1, 2, 3], "one", version="0.4.0"))
    b = _write(tmp_path / "b.json", _shard([4, 5, 6], "two", version="0.5.0"))
    status, _, err = _merge_command(tmp_path, a, b)
    assert status == 2
    assert f"{a} was written by version 0.4.0 of the harness, {b} by 0.5.0" in err


@pytest.mark.parametrize(
    "changed",
    [{"title": "another title"}, {"check_level": Level.SHOULD, "level": Level.SHOULD},
     {"rfc": "RFC 6750 §3"}],
    ids=["title", "level", "rfc"],
)  # fmt: skip
def test_a_check_catalogue_that_differs_is_an_error_naming_the_check_and_both_files(
    tmp_path: Path, changed: dict[str, object]
) -> None:
    a = _write(tmp_path / "a.json", _shard([1, 2, 3], "one"))
    b = _write(tmp_path / "b.json", _shard([4, 5, 6], "two", **changed))
    status, _, err = _merge_command(tmp_path, a, b)
    assert status == 2
    assert f"{a} and {b} hold two check catalogues: {CHECK} differ" in err


def test_a_failure_graded_at_another_level_is_no_catalogue_change() -> None:
    passed = _shard([1, 2, 3, 4, 5, 6, 7, 8, 9], "one")
    graded = _shard([1], "two", status=Status.FAILED, level=Level.SHOULD)  # MUST check, at SHOULD
    run, conflicts = merge([("a.json", passed), ("b.json", graded)])
    assert len(conflicts) == 2 and run.verdict is Verdict.INCOMPLETE  # cell 1's two variants


def test_an_older_report_without_check_levels_is_compared_where_its_levels_are_ungraded() -> None:
    older = _shard([1, 2, 3], "one", check_level=None)
    other = _shard([4, 5, 6], "two", check_level=None, level=Level.SHOULD)
    with pytest.raises(ShardsDoNotFit, match="two check catalogues"):
        merge([("a.json", older), ("b.json", other)])


def test_the_merged_copy_is_kept_under_the_merges_own_time(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.json", _shard([1, 2, 3, 4], "one"))
    b = _write(tmp_path / "b.json", _shard([5, 6, 7, 8, 9], "two"))
    before = datetime.now(UTC).replace(microsecond=0)
    status, out, _ = _merge_command(tmp_path, a, b)
    after = datetime.now(UTC)
    assert status == 0, out
    (kept,) = (tmp_path / "merged" / "runs").iterdir()
    date, time = kept.name.removesuffix("Z").split("T")
    stamp = datetime.fromisoformat(f"{date}T{time.replace('-', ':')}+00:00")
    assert before <= stamp <= after  # not the shards' 2026-12-01T10-00-00Z
    assert str(kept) in out


BAD_FILES = [
    ("empty", b"", "it is empty"),
    ("not JSON", b"{oops", "it is not JSON"),
    ("not UTF-8", b"\xff\xfe{}", "it is not UTF-8 text (byte 0 is invalid)"),
    ("a list", b"[1, 2]", "it holds no JSON object"),
    ("no info", b"{}", "it has no 'info' and no 'results' member"),
    ("info lacks a member", b'{"info": {}, "results": []}',
     "its info: the member 'mode' is missing"),
    ("result lacks check_id",
     b'{"info": {"mode": "mock", "issuer": "i", "started_at": "s", "duration_s": 1,'
     b' "command": "c"}, "results": [{"cell": 1, "variant": "cell1-jwtp-pkjwt-opaque"}]}',
     "result 1 of 1 (cell1-jwtp-pkjwt-opaque): the member 'token_format' is missing"),
    ("unknown level",
     b'{"info": {"mode": "mock", "issuer": "i", "started_at": "s", "duration_s": 1,'
     b' "command": "c"}, "results": [{"cell": 1, "variant": "v", "token_format": "opaque",'
     b' "check_id": "X", "title": "t", "rfc": "r", "level": "MUSTY", "status": "passed"}]}',
     "result 1 of 1 (v, X): the member 'level' is \"MUSTY\": one of MUST, SHOULD, MAY"),
    ("cell as text",
     b'{"info": {"mode": "mock", "issuer": "i", "started_at": "s", "duration_s": 1,'
     b' "command": "c"}, "results": [{"cell": "one"}]}',
     "result 1 of 1: the member 'cell' is \"one\": a whole number was expected"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "words"), [b[1:] for b in BAD_FILES],
                         ids=[b[0] for b in BAD_FILES])  # fmt: skip
def test_a_bad_file_is_explained_in_words_not_python_internals(
    tmp_path: Path, content: bytes, words: str
) -> None:
    good = _write(tmp_path / "good.json", _shard([1], "one"))
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    status, _, err = _merge_command(tmp_path, good, str(bad))
    assert status == 2
    assert err.startswith(f"error: {bad} is not a harness JSON report (matrix.json): {words}")
    assert err.count("\n") == 1
    for internal in ("Error", "NotAReport", "NotSerial", "__init__", "Traceback"):
        assert internal not in err


def test_a_folder_or_a_missing_file_is_named(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", _shard([1], "one"))
    status, _, err = _merge_command(tmp_path, good, str(tmp_path))
    assert status == 2 and f"{tmp_path} is a folder: give its matrix.json" in err
    status, _, err = _merge_command(tmp_path, good, str(tmp_path / "gone.json"))
    assert status == 2 and f"{tmp_path / 'gone.json'}: cannot be read: No such file" in err


def test_a_merged_run_keeps_check_levels_through_its_json(tmp_path: Path) -> None:
    run, _ = merge([("a.json", _shard(list(range(1, 10)), "one"))])
    data = json.loads(render_json(run))
    assert {r["check_level"] for r in data["results"]} == {"MUST"}


def test_results_carry_the_checks_own_level_beside_the_level_they_count_at() -> None:
    result: CheckResult = make_result(level=Level.SHOULD, check_level=Level.MUST,
                                      status=Status.FAILED)  # fmt: skip
    assert CheckResult.from_dict(result.to_dict()) == result


def _reading(run: RunResult, *subjects: SubjectInfo, **not_started: str) -> RunResult:
    return replace(run, info=replace(run.info, subjects=subjects, not_started=not_started))


A_API = SubjectInfo("a-api", "a.toml", "private_key_jwt", settings=(("api_key_file", "KEY"),))
B_API = SubjectInfo("b-api", "b.toml", "client_secret_basic")


def test_a_subject_a_shard_read_but_no_shard_ran_is_owed_every_cell_of_its_mechanism() -> None:
    shard = _reading(_shard([1, 3, 5], "--subject a.toml --subject b.toml", subject="a-api"),
                     A_API, B_API)  # fmt: skip
    run, _ = merge([("a.json", shard)])
    assert run.info.problems == ("subject b-api: no shard ran cell(s) 2, 4, 6 of 3",)
    assert run.info.subjects == (A_API, B_API)  # kept for the report's advice and reruns


def test_a_subject_that_could_not_start_is_not_named_twice() -> None:
    shard = _reading(_shard([1, 3, 5], "one", subject="a-api"), A_API, B_API,
                     **{"b-api": "cannot run 'node'"})  # fmt: skip
    run, _ = merge([("a.json", shard)])
    assert not any("b-api" in problem for problem in run.info.problems)  # its row says why
    assert run.info.not_started == {"b-api": "cannot run 'node'"}
