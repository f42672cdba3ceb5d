"""Pure validation of introspection answers (RFC 7662 §2.2), table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from oauthkit import (
    InsufficientScope,
    InvalidToken,
    Principal,
    TokenPolicy,
    require_roles,
    validate,
)
from oauthkit.validation import roles_of

NOW = 1_760_000_000.0
POLICY = TokenPolicy(audiences=("P1", "api-client"))
ROLES = "urn:zitadel:iam:org:project:roles"
GOOD: dict[str, Any] = {
    "active": True,
    "sub": "user-1",
    "client_id": "svc",
    "username": "svc",
    "scope": "openid profile urn:zitadel:iam:org:project:id:P1:aud",
    "aud": ["P1"],
    "exp": NOW + 3600,
    "nbf": NOW - 10,
    ROLES: {"read:messages": {"org1": "acme.test"}},
}

REJECTED = [
    ("RFC7662-2.2-inactive", {"active": False}),
    ("RFC7662-2.2-active-missing", {k: v for k, v in GOOD.items() if k != "active"}),
    ("RFC7662-2.2-active-string-true", {**GOOD, "active": "true"}),
    ("RFC7662-2.2-active-one", {**GOOD, "active": 1}),
    ("RFC7519-4.1.4-expired-beyond-leeway", {**GOOD, "exp": NOW - 31}),
    ("RFC7519-4.1.5-not-yet-valid-beyond-leeway", {**GOOD, "nbf": NOW + 31}),
    ("RFC7519-4.1.4-exp-not-a-number", {**GOOD, "exp": "soon"}),
    ("RFC7519-4.1.4-exp-boolean", {**GOOD, "exp": True}),
    ("RFC7519-4.1.3-other-audience", {**GOOD, "aud": ["P2"]}),
    ("RFC7519-4.1.3-audience-missing", {k: v for k, v in GOOD.items() if k != "aud"}),
    ("RFC7519-4.1.3-audience-empty", {**GOOD, "aud": []}),
]

ACCEPTED = [
    ("complete", GOOD),
    ("expired-within-leeway", {**GOOD, "exp": NOW - 29}),
    ("nbf-within-leeway", {**GOOD, "nbf": NOW + 29}),
    ("no-exp-no-nbf", {k: v for k, v in GOOD.items() if k not in ("exp", "nbf")}),
    ("audience-as-string", {**GOOD, "aud": "api-client"}),
    ("audience-among-others", {**GOOD, "aud": ["X", "api-client", "Y"]}),
]


@pytest.mark.parametrize(("rule", "answer"), REJECTED, ids=[r[0] for r in REJECTED])
def test_invalid_answers_are_rejected_as_invalid_token(rule: str, answer: dict[str, Any]) -> None:
    with pytest.raises(InvalidToken):
        validate(answer, POLICY, NOW)


@pytest.mark.parametrize(("case", "answer"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_valid_answers_give_a_principal(case: str, answer: dict[str, Any]) -> None:
    principal = validate(answer, POLICY, NOW)
    assert principal.sub == "user-1"


def test_inactive_answer_without_exp_is_invalid_token_not_a_crash() -> None:
    with pytest.raises(InvalidToken, match="not active"):
        validate({"active": False}, POLICY, NOW)


def test_empty_audience_policy_skips_the_audience_check() -> None:
    assert validate({**GOOD, "aud": ["other"]}, TokenPolicy(), NOW).aud == ("other",)


def test_principal_carries_rfc7662_members() -> None:
    principal = validate(GOOD, POLICY, NOW)
    assert principal == Principal(
        sub="user-1",
        client_id="svc",
        username="svc",
        scope=("openid", "profile", "urn:zitadel:iam:org:project:id:P1:aud"),
        aud=("P1",),
        exp=NOW + 3600,
        roles=principal.roles,
    )
    assert "read:messages" in principal.roles


ROLE_SOURCES = [
    ("zitadel-roles-object", {ROLES: {"read:messages": {"o": "d"}}}, ROLES),
    ("plain-scope", {"scope": "openid read:messages"}, ROLES),
    ("roles-claim-is-scope", {"scope": "read:messages"}, "scope"),
    ("roles-claim-list", {"roles": ["read:messages"]}, "roles"),
    ("roles-claim-string", {"roles": "a read:messages"}, "roles"),
]


@pytest.mark.parametrize(("case", "extra", "claim"), ROLE_SOURCES, ids=[r[0] for r in ROLE_SOURCES])
def test_roles_are_found_wherever_the_issuer_puts_them(
    case: str, extra: dict[str, Any], claim: str
) -> None:
    answer = {"active": True, "aud": ["P1"], **extra}
    principal = validate(answer, TokenPolicy(audiences=("P1",), roles_claim=claim), NOW)
    require_roles(principal, ["read:messages"])


def test_rfc6750_3_1_missing_role_is_insufficient_scope_naming_it() -> None:
    principal = validate({**GOOD, ROLES: {"write:messages": {}}}, POLICY, NOW)
    with pytest.raises(InsufficientScope) as raised:
        require_roles(principal, ["read:messages"])
    assert raised.value.scope == ("read:messages",)
    assert raised.value.status == 403


def test_zitadel_role_scope_is_not_a_role_because_pats_list_every_project_role() -> None:
    # ZITADEL adds urn:zitadel:iam:org:project:role:<key> to a PAT's scope for every role of
    # the project, whether the user holds it or not (zitadel-spec.md §6).
    answer = {
        "active": True,
        "aud": ["P1"],
        "scope": "openid urn:zitadel:iam:org:project:role:read:messages",
    }
    with pytest.raises(InsufficientScope):
        require_roles(validate(answer, POLICY, NOW), ["read:messages"])


def test_roles_claim_of_unexpected_shape_gives_no_roles() -> None:
    assert roles_of(42) == frozenset()
    assert roles_of(None) == frozenset()
    assert roles_of({"a": 1, 2: "b"}) == frozenset({"a"})


def test_rfc7519_4_1_3_one_string_is_one_audience_even_with_a_space() -> None:
    with pytest.raises(InvalidToken):
        validate({**GOOD, "aud": "other P1"}, POLICY, NOW)
    assert validate({**GOOD, "aud": "P1"}, POLICY, NOW).aud == ("P1",)


def test_rfc7662_2_2_an_iss_other_than_the_issuer_is_invalid() -> None:
    policy = TokenPolicy(audiences=("P1",), issuer="https://issuer.test")
    assert validate({**GOOD, "iss": "https://issuer.test"}, policy, NOW)
    with pytest.raises(InvalidToken, match="issued by"):
        validate({**GOOD, "iss": "https://elsewhere.test"}, policy, NOW)


@pytest.mark.parametrize("token_type", ["refresh_token", "id_token", "N_A"])
def test_rfc7662_2_2_a_token_type_that_is_no_access_token_is_invalid(token_type: str) -> None:
    with pytest.raises(InvalidToken, match="not an access token"):
        validate({**GOOD, "token_type": token_type}, POLICY, NOW)
    assert validate({**GOOD, "token_type": "Bearer"}, POLICY, NOW)


OWN = "urn:zitadel:iam:org:project:P1:roles"
OTHER = "urn:zitadel:iam:org:project:P2:roles"
HELD = {"read:messages": {"org1": "acme.test"}}
PROJECT_POLICY = TokenPolicy(audiences=("P1",), project_roles_claim=OWN)
# zitadel-spec.md §4.4: the API's own claim wins; the generic one only without any project's.
CLAIM_SHAPES = [
    ("own-claim-alone", {OWN: HELD}, True),
    ("generic-claim-alone", {ROLES: HELD}, True),
    ("own-claim-wins-over-generic", {OWN: {}, ROLES: HELD}, False),
    ("other-project-only", {OTHER: HELD}, False),
    ("generic-beside-another-projects-claim", {ROLES: HELD, OTHER: HELD}, False),
    ("own-claim-null", {OWN: None, ROLES: None}, False),
    ("own-claim-in-a-list", {OWN: [HELD], ROLES: [HELD]}, False),
    ("own-claim-keyed-by-org", {OWN: {"org1": HELD}, ROLES: {"org1": HELD}}, False),
]


@pytest.mark.parametrize(
    ("case", "claims", "holds"), CLAIM_SHAPES, ids=[c[0] for c in CLAIM_SHAPES]
)
def test_the_role_comes_from_the_apis_own_project(
    case: str, claims: dict[str, Any], holds: bool
) -> None:
    principal = validate({"active": True, "aud": ["P1", "P2"], **claims}, PROJECT_POLICY, NOW)
    assert ("read:messages" in principal.roles) is holds


def test_without_a_project_id_the_generic_claim_counts_whatever_else_is_there() -> None:
    answer = {"active": True, "aud": ["P1"], ROLES: HELD, OWN: HELD}  # ZITADEL's usual answer
    assert "read:messages" in validate(answer, TokenPolicy(audiences=("P1",)), NOW).roles
