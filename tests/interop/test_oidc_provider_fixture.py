"""The oidc-provider fixture works as the harness's live mode will use it (issue #5).

Raw HTTP only (httpx + PyJWT): discovery (OpenID Connect Discovery 1.0 §3), client credentials
(RFC 6749 §4.4), the JWT bearer grant (RFC 7523 §2.1), introspection of every matrix cell
(RFC 7662 §2.2) and revocation (RFC 7009 §2.1).
"""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from oauthkit import ClientCredentialsGrant, EnvSource, load_client_credentials_settings

from .provider_process import OidcProvider
from .raw_client import RawClient

pytestmark = pytest.mark.interop

GRANTS = ("jwt_profile", "client_credentials", "pat")
INTROSPECTION_AUTHS = ("private_key_jwt", "client_secret_basic")


def is_jwt(token: str) -> bool:
    """True when the token parses as a JWS compact serialization."""
    try:
        jwt.get_unverified_header(token)
    except jwt.DecodeError:
        return False
    return True


def test_ready_line_names_a_loopback_issuer_and_an_env_file_that_points_back_to_it(
    oidc_provider: OidcProvider,
) -> None:
    assert oidc_provider.issuer.startswith("http://127.0.0.1:")
    assert oidc_provider.env["ZITADEL_DOMAIN"] == oidc_provider.issuer
    assert oidc_provider.env_file.stat().st_mode & 0o077 == 0


def test_key_files_have_zitadel_layout_with_pkcs1_rsa_keys(raw: RawClient) -> None:
    api = raw.key_file("API_PRIVATE_KEY_FILE")
    user = raw.key_file("CLIENT_PRIVATE_KEY_FILE_PATH")

    assert (api.type, user.type) == ("application", "serviceaccount")
    # PKCS#1, as ZITADEL writes them: the PEM label names the RSA key type.
    pkcs1 = "-----BEGIN " + "RSA PRIVATE KEY-----"
    assert api.key.startswith(pkcs1)
    assert user.key.startswith(pkcs1)


def test_discovery_advertises_token_introspection_and_revocation_for_the_issuer(
    raw: RawClient,
) -> None:
    document = raw.discovery

    assert document["issuer"] == raw.provider.issuer
    for endpoint in ("token_endpoint", "introspection_endpoint", "revocation_endpoint"):
        assert document[endpoint].startswith(raw.provider.issuer + "/")
    assert {"client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"} <= set(
        document["grant_types_supported"]
    )
    assert {"client_secret_basic", "private_key_jwt"} <= set(
        document["token_endpoint_auth_methods_supported"]
    )


def test_client_credentials_with_form_urlencoded_basic_credentials_gives_an_opaque_token(
    raw: RawClient,
) -> None:
    response = raw.client_credentials()

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read:messages"
    assert not is_jwt(body["access_token"])


def test_jwt_bearer_grant_with_the_serviceaccount_key_file_gives_an_opaque_token(
    raw: RawClient,
) -> None:
    response = raw.jwt_profile()

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read:messages"
    assert not is_jwt(body["access_token"])


@pytest.mark.parametrize("auth", INTROSPECTION_AUTHS)
@pytest.mark.parametrize("grant", GRANTS)
def test_each_matrix_cell_token_is_active_with_the_role_and_the_api_audience(
    raw: RawClient, grant: str, auth: str
) -> None:
    response = raw.introspect(raw.token(grant), auth)

    assert response.status_code == 200, response.text
    result = response.json()
    assert result["active"] is True
    assert "read:messages" in result["scope"].split()
    assert result["aud"] == raw.provider.env["API_AUDIENCE"]
    assert result["iss"] == raw.provider.issuer


def test_jwt_bearer_token_is_issued_to_the_service_user_as_subject(raw: RawClient) -> None:
    user_id = raw.key_file("CLIENT_PRIVATE_KEY_FILE_PATH").subject

    result = raw.introspect(raw.token("jwt_profile"), "client_secret_basic").json()

    assert result["sub"] == user_id
    assert result["client_id"] == raw.provider.env["JWT_PROFILE_CLIENT_ID"]


def test_client_credentials_token_belongs_to_the_client_so_introspection_has_no_sub(
    raw: RawClient,
) -> None:
    issued = raw.client_credentials().json()

    result = raw.introspect(issued["access_token"], "private_key_jwt").json()

    assert issued["expires_in"] == 3600
    assert "sub" not in result
    assert result["client_id"] == raw.provider.env["CLIENT_ID"]


def test_pat_stand_in_is_active_for_about_a_year(raw: RawClient) -> None:
    result = raw.introspect(raw.token("pat"), "private_key_jwt").json()

    assert result["active"] is True
    assert result["exp"] - time.time() > 300 * 24 * 3600


def test_rfc7009_revoked_token_introspects_as_exactly_active_false(raw: RawClient) -> None:
    token = raw.token("client_credentials")

    revoked = raw.revoke_as_service_client(token)

    assert revoked.status_code == 200, revoked.text
    response = raw.introspect(token, "client_secret_basic")
    assert (response.status_code, response.json()) == (200, {"active": False})


@pytest.mark.parametrize("auth", INTROSPECTION_AUTHS)
def test_rfc7662_unknown_token_introspects_as_exactly_active_false(
    raw: RawClient, auth: str
) -> None:
    response = raw.introspect("not-a-token-this-issuer-knows", auth)

    assert (response.status_code, response.json()) == (200, {"active": False})


def test_token_for_another_resource_carries_that_audience_so_the_api_check_can_fail(
    raw: RawClient,
) -> None:
    other = raw.provider.resources["other"]
    response = raw.client_credentials(resource=other)
    assert response.status_code == 200, response.text

    result = raw.introspect(response.json()["access_token"], "private_key_jwt").json()

    assert result["active"] is True
    assert result["aud"] == other != raw.provider.env["API_AUDIENCE"]


def test_oauthkits_client_picks_the_audience_by_rfc8707_resource(raw: RawClient) -> None:
    other = raw.provider.resources["other"]
    source = EnvSource.load(raw.provider.env_file, {"TOKEN_RESOURCE": other}, required=True)
    settings = load_client_credentials_settings(source)
    with httpx.Client(timeout=10.0) as http:
        token = ClientCredentialsGrant(settings, http).fetch(time.time()).access_token

    result = raw.introspect(token, "private_key_jwt").json()

    assert result["active"] is True
    assert result["aud"] == other
