"""ZITADEL's role model can fail: each API reading the roles claims one wrong way fails exactly
the check about that way, and the samples pass every one."""

from __future__ import annotations

import pytest

import api_basic_auth.app
import api_local_jwt.app
from harness.checks.zitadel_roles import CHECKS
from harness.model.matrix import Mechanism
from harness.targets.apis import ApiFactory

from . import broken_roles
from .test_broken_samples import _failed, _run

pytestmark = pytest.mark.e2e
ROLE_CHECKS = ["RFC6750-3.1-role-present", *(c.id for c in CHECKS)]
LOCAL_JWT = Mechanism.LOCAL_JWT


def _failures(factory: ApiFactory, local_jwt: bool = False) -> dict[str, bool]:
    if local_jwt:
        return _failed(_run(factory, ROLE_CHECKS, LOCAL_JWT, 8)[0])
    return _failed(_run(factory, ROLE_CHECKS)[0])


def test_the_samples_pass_every_role_model_check() -> None:
    assert _failures(api_basic_auth.app.create_app) == {}
    assert _failures(api_local_jwt.app.create_app, local_jwt=True) == {}


def test_an_api_reading_only_the_generic_claim_refuses_the_project_claim_alone() -> None:
    failed = _failures(broken_roles.reads_only_the_generic_claim)
    assert failed == {"ZITADEL-roles-project-claim-alone": False}


def test_an_api_reading_any_projects_claim_lets_another_projects_role_in() -> None:
    failed = _failures(broken_roles.reads_any_projects_roles)
    assert failed == {"ZITADEL-roles-other-project-only": True}


def test_an_api_falling_back_to_the_generic_claim_lets_the_audience_pass() -> None:
    failed = _failures(broken_roles.falls_back_to_the_generic_claim, local_jwt=True)
    assert failed == {"ZITADEL-roles-audience-without-grant": True}


def test_an_api_taking_the_roles_claim_as_an_object_answers_500_to_another_type() -> None:
    failed = _failures(broken_roles.crashes_on_a_roles_claim_of_another_type, local_jwt=True)
    assert failed == {"ZITADEL-roles-wrong-shape": False}
