"""Matrix cases: one (variant, check) pair each, with a readable id, as plain data.

A case id reads ``cell3-cc-pkjwt-opaque-RFC6750-3.1-no-credentials``: the cell, its grant and
introspection method, the token format, and the check naming the RFC rule it checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.checks import ALL_CHECKS, Check, check_by_id
from harness.model.matrix import Cell, Mode, TokenFormat, Variant, cell_by_number, cells, variants
from harness.subjects.file import Subject, check_expectations


@dataclass(frozen=True)
class MatrixCase:
    """One check in one variant; ``order`` is the check's place in the registry."""

    variant: Variant
    check: Check
    order: int
    subject: Subject | None = None

    @property
    def id(self) -> str:
        """The readable id used for tests and report anchors (the subject's name first)."""
        prefix = f"{self.subject.name}-" if self.subject else ""
        return f"{prefix}{self.variant.slug}-{self.check.id}"

    def names(self) -> dict[str, object]:
        """What names its result, as plain data (a test report carries it before it ran)."""
        check = self.check
        return {
            "subject": self.subject.name if self.subject else "",
            "cell": self.variant.cell.number, "variant": self.variant.slug,
            "token_format": str(self.variant.token_format), "check_id": check.id,
            "title": check.title, "rfc": check.rfc, "check_level": str(check.level),
            "order": self.order,
        }  # fmt: skip


def select_cells(numbers: str | None) -> tuple[Cell, ...]:
    """Cells from a comma-separated list of numbers (``"1,4"``); all nine when empty."""
    if not numbers:
        return cells()
    try:
        return tuple(cell_by_number(int(n)) for n in numbers.split(",") if n.strip())
    except ValueError as exc:
        raise ValueError(
            f"--cells {numbers!r}: {exc} Give numbers 1 to 9, e.g. --cells 1,4"
        ) from None


def select_checks(ids: str | None) -> tuple[Check, ...]:
    """Checks from a comma-separated list of ids; every registered check when empty."""
    if not ids:
        return ALL_CHECKS
    return tuple(check_by_id(i.strip()) for i in ids.split(",") if i.strip())


def matrix_cases(
    mode: Mode,
    chosen_cells: Iterable[Cell] = (),
    checks: Iterable[Check] = (),
    live_format: TokenFormat = TokenFormat.OPAQUE,
    subject: Subject | None = None,
) -> list[MatrixCase]:
    """Every case of the chosen cells and checks (all of them when none are chosen).

    With a subject, only the cells of its mechanism, each case carrying the subject.
    """
    chosen = tuple(chosen_cells) or cells()
    if subject is not None:
        chosen = tuple(c for c in chosen if c.mechanism is subject.mechanism)
    order = {check.id: n for n, check in enumerate(ALL_CHECKS)}
    return [
        MatrixCase(variant, check, order.get(check.id, 0), subject)
        for cell in chosen
        for variant in variants(cell, mode, live_format)
        for check in (tuple(checks) or ALL_CHECKS)
    ]


def with_known_expectations(subjects: tuple[Subject, ...]) -> tuple[Subject, ...]:
    """The subjects, after checking their ``[expect] fail`` ids against the registry."""
    return check_expectations(subjects, {check.id for check in ALL_CHECKS})
