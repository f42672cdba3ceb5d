"""The suite's own xdist grouping (tests/conftest.py): files sharing an expensive fixture."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SHARED, shared_group

REPO = Path(__file__).resolve().parents[2]


def test_every_shared_file_exists_so_a_renamed_file_is_not_silently_dealt_test_by_test() -> None:
    assert [f for f in SHARED if not (REPO / f).is_file()] == []


def test_a_shared_files_tests_are_one_unit_and_any_other_test_is_its_own() -> None:
    live = "tests/interop/test_live_matrix.py::test_nothing_fails[a::b]"
    fixture = "tests/interop/test_oidc_provider_fixture.py::test_ready_line"
    assert shared_group(live) == shared_group(fixture) == "oidc-provider"
    report = "tests/subjects/test_report_of_every_subject.py::test_the_html_report_stays_small"
    assert shared_group("tests/subjects/test_third_party.py::test_x[y]") == shared_group(report)
    other = "tests/unit/docs/test_links.py::test_every_link_resolves"
    assert shared_group(other) == other
