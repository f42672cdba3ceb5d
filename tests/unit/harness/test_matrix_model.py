"""The matrix model: nine numbered cells (ZITADEL's six, then local JWT), and their variants."""

from __future__ import annotations

import pytest

from harness.model.matrix import (
    Grant,
    Mechanism,
    Mode,
    TokenFormat,
    cell_by_number,
    cells,
    variants,
)


@pytest.mark.parametrize(
    ("number", "grant", "auth"),
    [
        (1, Grant.JWT_PROFILE, Mechanism.PRIVATE_KEY_JWT),
        (2, Grant.JWT_PROFILE, Mechanism.CLIENT_SECRET_BASIC),
        (3, Grant.CLIENT_CREDENTIALS, Mechanism.PRIVATE_KEY_JWT),
        (4, Grant.CLIENT_CREDENTIALS, Mechanism.CLIENT_SECRET_BASIC),
        (5, Grant.PAT, Mechanism.PRIVATE_KEY_JWT),
        (6, Grant.PAT, Mechanism.CLIENT_SECRET_BASIC),
        (7, Grant.JWT_PROFILE, Mechanism.LOCAL_JWT),
        (8, Grant.CLIENT_CREDENTIALS, Mechanism.LOCAL_JWT),
        (9, Grant.PAT, Mechanism.LOCAL_JWT),
    ],
)
def test_cells_are_numbered_as_in_zitadels_examples_table_then_local_jwt(
    number: int, grant: Grant, auth: Mechanism
) -> None:
    cell = cell_by_number(number)
    assert (cell.grant, cell.mechanism) == (grant, auth)


def test_there_are_exactly_nine_cells_with_unique_slugs() -> None:
    assert [c.number for c in cells()] == list(range(1, 10))
    assert len({c.slug for c in cells()}) == 9
    assert cell_by_number(8).slug == "cell8-cc-ljwt"


def test_cell_names_read_grant_then_introspection_method() -> None:
    assert cell_by_number(4).name == "Client credentials \u00d7 Basic authentication"
    assert cell_by_number(3).slug == "cell3-cc-pkjwt"


def test_an_unknown_cell_number_is_refused_with_the_valid_range() -> None:
    with pytest.raises(ValueError, match="1 to 9"):
        cell_by_number(10)


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_mock_mode_runs_grant_cells_with_opaque_and_jwt_tokens(number: int) -> None:
    formats = [v.token_format for v in variants(cell_by_number(number), Mode.MOCK)]
    assert formats == [TokenFormat.OPAQUE, TokenFormat.JWT]


@pytest.mark.parametrize("mode", list(Mode))
def test_pat_cells_run_with_opaque_tokens_only(mode: Mode) -> None:
    assert [v.slug for v in variants(cell_by_number(5), mode)] == ["cell5-pat-pkjwt-opaque"]


def test_live_mode_runs_one_variant_in_the_format_the_user_declared() -> None:
    found = variants(cell_by_number(1), Mode.LIVE, TokenFormat.JWT)
    assert [v.slug for v in found] == ["cell1-jwtp-pkjwt-jwt"]


@pytest.mark.parametrize("number", [7, 8])
def test_local_jwt_cells_run_with_jwt_tokens_only_in_mock_mode(number: int) -> None:
    formats = [v.token_format for v in variants(cell_by_number(number), Mode.MOCK)]
    assert formats == [TokenFormat.JWT]


def test_only_pat_by_local_jwt_is_not_applicable_as_a_whole_saying_why() -> None:
    reasons = {c.number: c.not_applicable_because for c in cells()}
    assert (
        reasons.pop(9) == "a PAT is opaque: an API that validates JWT access tokens "
        "locally cannot check it (cell 9 is not applicable)"
    )
    assert set(reasons.values()) == {None}


def test_only_local_jwt_does_not_introspect() -> None:
    assert [m for m in Mechanism if not m.introspects] == [Mechanism.LOCAL_JWT]
    assert "locally" in Mechanism.LOCAL_JWT.how
    assert Mechanism.CLIENT_SECRET_BASIC.how == "introspects with client_secret_basic"
