"""Shape of the active introspection response (spec §3.4, §4.3, §6)."""

from __future__ import annotations

from typing import Any

import pytest

from mock_issuer.claims import active_response, audience_accepts, role_claims
from mock_issuer.model import AppRecord, Org, Project, TokenRecord, UserRecord

ORG = Org(id="900", name="acme", primary_domain="acme.localhost")
PROJECT = Project(id="P1", name="p", roles=("read:messages", "write:messages"))
APP = AppRecord(app_id="A", client_id="C1", project_id="P1", auth_method="client_secret_basic")


def _user(**grants: set[str]) -> UserRecord:
    user = UserRecord(user_id="U1", username="svc", name="Service", org_id="900", updated_at=5)
    user.grants = {"P1": {"read:messages"}, **grants}
    return user


def _token(
    kind: Any = "opaque", scopes: tuple[str, ...] = (), aud: tuple[str, ...] = ("P1",)
) -> TokenRecord:
    return TokenRecord(
        token_id="T1",
        kind=kind,
        user_id="U1",
        client_id=None if kind == "pat" else "svc",
        scopes=scopes,
        audience=aud,
        issued_at=100,
        expires_at=200,
    )


def _respond(record: TokenRecord, user: UserRecord | None = None) -> dict[str, Any]:
    return active_response(
        record=record, user=user or _user(), org=ORG, app=APP, project=PROJECT, issuer="http://i"
    )


def test_roles_are_objects_keyed_by_role_then_org_id_under_both_claim_names() -> None:
    claims = role_claims({"read:messages"}, requested=frozenset(), project_id="P1", org=ORG)
    expected = {"read:messages": {"900": "acme.localhost"}}
    assert claims == {
        "urn:zitadel:iam:org:project:roles": expected,
        "urn:zitadel:iam:org:project:P1:roles": expected,
    }


def test_role_scopes_narrow_the_roles_shown() -> None:
    held = {"read:messages", "write:messages"}
    claims = role_claims(held, requested=frozenset({"write:messages"}), project_id="P1", org=ORG)
    assert list(claims["urn:zitadel:iam:org:project:roles"]) == ["write:messages"]


def test_no_roles_held_means_no_role_claims_at_all() -> None:
    assert role_claims(set(), requested=frozenset(), project_id="P1", org=ORG) == {}


@pytest.mark.parametrize(
    ("aud", "kind", "accepted"),
    [
        pytest.param(("P1",), "opaque", True, id="project-id"),
        pytest.param(("C1",), "jwt", True, id="client-id"),
        pytest.param(("P2",), "opaque", False, id="RFC7662-other-project-is-not-for-this-app"),
        pytest.param((), "opaque", False, id="empty-audience"),
        pytest.param((), "pat", True, id="pat-passes-any-app"),
    ],
)
def test_audience_must_name_the_app_or_its_project(
    aud: tuple[str, ...], kind: Any, accepted: bool
) -> None:
    assert audience_accepts(_token(kind=kind, aud=aud), APP) is accepted


def test_active_response_carries_the_rfc7662_members_with_aud_as_an_array() -> None:
    body = _respond(_token(scopes=("openid",)))
    assert body["active"] is True
    assert body["scope"] == "openid"
    assert body["client_id"] == "svc"
    assert body["token_type"] == "Bearer"
    assert (body["iat"], body["nbf"], body["exp"]) == (100, 100, 200)
    assert body["aud"] == ["P1"]
    assert (body["sub"], body["iss"], body["jti"]) == ("U1", "http://i", "T1")


def test_username_appears_only_with_the_profile_scope() -> None:
    assert "username" not in _respond(_token(scopes=("openid",)))
    body = _respond(_token(scopes=("openid", "profile")))
    assert body["username"] == body["preferred_username"] == "svc"
    assert body["name"] == "Service"


def test_resource_owner_claims_appear_when_asked_for() -> None:
    body = _respond(_token(scopes=("urn:zitadel:iam:user:resourceowner",)))
    assert body["urn:zitadel:iam:user:resourceowner:id"] == "900"
    assert body["urn:zitadel:iam:user:resourceowner:primary_domain"] == "acme.localhost"
    assert "urn:zitadel:iam:user:resourceowner:id" not in _respond(_token(scopes=("openid",)))


def test_pat_gets_app_ids_in_aud_role_scopes_in_scope_and_no_client_id() -> None:
    body = _respond(_token(kind="pat", scopes=("openid",), aud=()))
    assert body["aud"] == ["C1", "P1"]
    assert body["scope"].split() == [
        "openid",
        "urn:zitadel:iam:org:project:role:read:messages",
        "urn:zitadel:iam:org:project:role:write:messages",
    ]
    assert "client_id" not in body
    assert body["urn:zitadel:iam:org:project:roles"] == {"read:messages": {"900": "acme.localhost"}}


def test_roles_come_from_the_introspecting_apps_project_only() -> None:
    user = _user()
    user.grants = {"P2": {"read:messages"}}
    assert "urn:zitadel:iam:org:project:roles" not in _respond(_token(), user)
