"""Scope filtering and audience computation for service users (spec §2.2, §4.1, §4.2)."""

from __future__ import annotations

import pytest

from mock_issuer.model import Org
from mock_issuer.scopes import audience, granted_scopes, requested_roles, split_scope

ORG = Org(id="900", name="acme", primary_domain="acme.localhost")
AUD = "urn:zitadel:iam:org:project:id:{}:aud"


@pytest.mark.parametrize(
    ("requested", "granted"),
    [
        pytest.param("openid profile email", ("openid", "profile", "email"), id="standard-kept"),
        pytest.param("openid read:messages", ("openid",), id="unknown-scope-dropped-silently"),
        pytest.param("openid  openid ", ("openid",), id="blanks-and-repeats-removed"),
        pytest.param(AUD.format("42"), (AUD.format("42"),), id="audience-scope-kept"),
        pytest.param(
            "urn:zitadel:iam:org:project:role:read:messages",
            ("urn:zitadel:iam:org:project:role:read:messages",),
            id="role-scope-kept",
        ),
        pytest.param(
            "urn:zitadel:iam:org:projects:roles urn:zitadel:iam:user:resourceowner",
            ("urn:zitadel:iam:org:projects:roles", "urn:zitadel:iam:user:resourceowner"),
            id="reserved-exact-scopes-kept",
        ),
        pytest.param("urn:zitadel:iam:org:id:900", ("urn:zitadel:iam:org:id:900",), id="own-org"),
        pytest.param("urn:zitadel:iam:org:id:901", (), id="another-orgs-id-scope-dropped"),
        pytest.param(
            "urn:zitadel:iam:org:domain:primary:other.localhost",
            (),
            id="another-orgs-domain-scope-dropped",
        ),
        pytest.param("urn:zitadel:iam:org:project:id:", (), id="bare-prefix-dropped"),
        pytest.param("urn:zitadel:iam:evil", (), id="unknown-urn-dropped"),
    ],
)
def test_service_users_get_standard_and_reserved_scopes_only(
    requested: str, granted: tuple[str, ...]
) -> None:
    assert granted_scopes(requested, ORG) == granted


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        pytest.param(("openid",), (), id="no-aud-scope-means-empty-audience"),
        pytest.param((AUD.format("42"),), ("42",), id="one-project"),
        pytest.param(
            (AUD.format("42"), AUD.format("7"), AUD.format("42")), ("42", "7"), id="dedup"
        ),
        pytest.param((AUD.format("zitadel"),), ("1",), id="zitadel-alias-is-the-instance-project"),
        pytest.param(
            ("urn:zitadel:iam:org:project:id:42",), (), id="without-aud-suffix-no-audience"
        ),
        pytest.param(("urn:zitadel:iam:org:project:id::aud",), (), id="empty-project-id-ignored"),
    ],
)
def test_audience_comes_only_from_project_aud_scopes(
    scopes: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert audience(scopes, zitadel_project_id="1") == expected


def test_role_scopes_name_the_requested_roles() -> None:
    scopes = ("openid", "urn:zitadel:iam:org:project:role:a", "urn:zitadel:iam:org:project:role:b")
    assert requested_roles(scopes) == {"a", "b"}


def test_split_scope_keeps_request_order() -> None:
    assert split_scope("b a b") == ("b", "a")
