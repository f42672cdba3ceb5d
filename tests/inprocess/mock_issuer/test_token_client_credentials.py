"""The client_credentials grant for service users (RFC 6749 §2.3.1, §4.4; spec §2.3, §4)."""

from __future__ import annotations

import base64
from urllib.parse import quote_plus

import httpx
import pytest

from mock_issuer import MockIssuer

from .support import aud_scope, client, introspect

pytestmark = pytest.mark.anyio
GRANT = {"grant_type": "client_credentials", "scope": "openid"}


async def _post(issuer: MockIssuer, data: dict[str, str], **kwargs: object) -> httpx.Response:
    async with client(issuer) as c:
        return await c.post("/oauth/v2/token", data=data, **kwargs)  # type: ignore[arg-type]


def _basic(user: str, password: str) -> dict[str, str]:
    raw = f"{quote_plus(user)}:{quote_plus(password)}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


async def test_secret_in_basic_header_gets_a_token(shared: MockIssuer) -> None:
    user = shared.provision().cc_user
    response = await _post(shared, GRANT, auth=(user.username, user.client_secret))
    assert response.status_code == 200
    assert set(response.json()) == {"access_token", "token_type", "expires_in", "id_token"}


async def test_secret_in_form_fields_gets_a_token(shared: MockIssuer) -> None:
    user = shared.provision().cc_user
    data = {**GRANT, "client_id": user.username, "client_secret": user.client_secret or ""}
    assert (await _post(shared, data)).status_code == 200


async def test_rfc6749_basic_credentials_are_form_urlencoded_before_base64(
    fresh: MockIssuer,
) -> None:
    user = fresh.add_service_user("svc user+1@acme", with_secret=True)
    headers = _basic(user.username, user.client_secret or "")
    assert (await _post(fresh, GRANT, headers=headers)).status_code == 200


async def test_rfc6749_2_3_basic_and_form_credentials_together_are_rejected(
    shared: MockIssuer,
) -> None:
    user = shared.provision().cc_user
    data = {**GRANT, "client_id": user.username, "client_secret": user.client_secret or ""}
    response = await _post(shared, data, auth=(user.username, user.client_secret))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")
    assert "more than one method" in response.json()["error_description"]


async def test_wrong_secret_is_zitadels_400_secret_invalid(shared: MockIssuer) -> None:
    response = await _post(shared, GRANT, auth=(shared.provision().cc_user.username, "wrong"))
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_request",
        "error_description": "Errors.User.Machine.Secret.Invalid",
    }


async def test_unknown_user_is_400_invalid_client_not_found(shared: MockIssuer) -> None:
    response = await _post(shared, GRANT, auth=("nobody", "x"))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client", "error_description": "client not found"}


async def test_user_without_secret_is_zitadels_secret_not_existing(shared: MockIssuer) -> None:
    response = await _post(shared, GRANT, auth=(shared.provision().jwt_user.username, "x"))
    assert response.json()["error_description"] == "Errors.User.Machine.Secret.NotExisting"


async def test_no_client_credentials_is_invalid_request(shared: MockIssuer) -> None:
    response = await _post(shared, GRANT)
    assert response.status_code == 400
    assert response.json()["error_description"] == "client_id or client_assertion must be provided"


async def test_zitadel_requires_a_scope_for_client_credentials(shared: MockIssuer) -> None:
    user = shared.provision().cc_user
    data = {"grant_type": "client_credentials"}
    response = await _post(shared, data, auth=(user.username, user.client_secret))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")
    assert "scope" in response.json()["error_description"]


async def test_a_deactivated_user_gets_no_token(fresh: MockIssuer) -> None:
    user = fresh.provision().cc_user
    fresh.deactivate_user(user.user_id)
    response = await _post(fresh, GRANT, auth=(user.username, user.client_secret))
    assert response.status_code == 400


async def _introspected(issuer: MockIssuer, scope: str) -> dict[str, object]:
    world = issuer.provision()
    user = world.cc_user
    async with client(issuer) as c:
        grant = {"grant_type": "client_credentials", "scope": scope}
        response = await c.post(
            "/oauth/v2/token", data=grant, auth=(user.username, user.client_secret or "")
        )
        token = response.json()["access_token"]
        body: dict[str, object] = (await introspect(c, issuer, world.api_basic_app, token)).json()
    return body


async def test_unknown_scopes_are_dropped_silently(shared: MockIssuer) -> None:
    aud = aud_scope(shared.provision().project.id)
    body = await _introspected(shared, f"openid read:messages {aud}")
    assert body["scope"] == f"openid {aud}"


async def test_client_credentials_tokens_carry_amr_pwd(shared: MockIssuer) -> None:
    body = await _introspected(shared, aud_scope(shared.provision().project.id))
    assert body["amr"] == ["pwd"]


async def test_without_the_aud_scope_the_token_is_not_for_any_api(shared: MockIssuer) -> None:
    assert await _introspected(shared, "openid profile") == {"active": False}


async def test_the_aud_scope_of_another_project_does_not_reach_this_api(shared: MockIssuer) -> None:
    other = aud_scope(shared.provision().other_project.id)
    assert await _introspected(shared, f"openid {other}") == {"active": False}


async def test_the_zitadel_alias_puts_the_instance_project_in_aud(shared: MockIssuer) -> None:
    aud = aud_scope(shared.provision().project.id)
    body = await _introspected(shared, f"{aud} urn:zitadel:iam:org:project:id:zitadel:aud")
    assert body["aud"] == [shared.provision().project.id, shared.instance.zitadel_project_id]
