"""Issuer-behaviour observations judged on canned issuer answers: no servers, no network."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from harness.model.matrix import Grant, Mechanism, TokenFormat, Variant
from harness.model.results import Exchange
from harness.model.skips import NotConfigured
from harness.observations import ALL_OBSERVATIONS, observation_by_id, observe
from harness.observations.base import Observation, ObserveContext, Observed, said
from harness.redaction import Redactor
from harness.targets.base import Holder, IssuedToken
from harness.targets.issuer_calls import Answer
from oauthkit import ApiSettings, ClientSecret, ClientSettings

OPAQUE_TOKEN = "opaque-token-value-1234567890"
JWT_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
ZITADEL_ACTIVE = {
    "active": True, "scope": "openid", "aud": ["1234"],
    "urn:zitadel:iam:org:project:roles": {"read:messages": {"org": "example.com"}},
}  # fmt: skip
SCOPE_ACTIVE = {"active": True, "scope": "read:messages", "aud": "urn:api"}
MISSING = {h: f"{h.name}_SCOPES" for h in Holder}


def _answer(status: int | None, body: dict[str, Any] | None = None, challenge: str = "") -> Answer:
    return Answer(Exchange("POST", "http://issuer.test/x", status=status), status, body, challenge)


@dataclass
class _Calls:
    """Canned answers by call: introspection by token, one token endpoint answer."""

    introspection: dict[str, Answer] = field(default_factory=dict)
    default_introspection: Answer = field(default_factory=lambda: _answer(200, {"active": False}))
    token_answer: Answer = field(default_factory=lambda: _answer(400, {"error": "x"}))
    document: dict[str, Any] = field(default_factory=dict)
    apis: dict[Mechanism, ApiSettings[Any]] = field(
        default_factory=lambda: {
            Mechanism.CLIENT_SECRET_BASIC: ApiSettings("http://issuer.test",
                                                               ClientSecret("api", "s3cret-api"))
        }
    )  # fmt: skip

    def metadata(self) -> dict[str, Any]:
        return self.document

    def api_auth(self, auth: Mechanism | None = None) -> Any:
        return object()

    def introspect(self, token: str, auth: Any) -> Answer:
        return self.introspection.get(token, self.default_introspection)

    def token_request(self, form: dict[str, str], headers: dict[str, str]) -> Answer:
        return self.token_answer

    def client_settings(self, grant: Grant) -> ClientSettings[Any]:
        return ClientSettings("http://issuer.test", ClientSecret("svc", "s3cret-svc"), ("a",))


@dataclass
class _Target:
    issuer_calls: _Calls = field(default_factory=_Calls)
    redactor: Redactor = field(default_factory=Redactor)
    live_format: TokenFormat = TokenFormat.OPAQUE
    tokens: dict[tuple[Holder, TokenFormat], IssuedToken] = field(default_factory=dict)

    def token(self, variant: Variant, holder: Holder = Holder.ROLE) -> IssuedToken:
        found = self.tokens.get((holder, variant.token_format))
        if found is None:
            raise NotConfigured(MISSING[holder])
        return found


def _target(active: dict[str, Any] | None = None, **answers: Answer) -> _Target:
    target = _Target()
    target.tokens[(Holder.ROLE, TokenFormat.OPAQUE)] = IssuedToken(OPAQUE_TOKEN)
    if active is not None:
        target.issuer_calls.introspection[OPAQUE_TOKEN] = _answer(200, active)
    target.issuer_calls.introspection.update(answers)
    return target


def _observe(observation_id: str, target: _Target) -> tuple[bool, str, dict[str, Any], str]:
    result = observe(observation_by_id(observation_id), target)  # type: ignore[arg-type]
    return result.observed, result.value, result.data, result.detail


def test_observation_ids_are_unique_and_each_names_an_rfc() -> None:
    ids = [o.id for o in ALL_OBSERVATIONS]
    assert len(ids) == len(set(ids))
    assert all(o.rfc.startswith("RFC ") for o in ALL_OBSERVATIONS)


def test_an_unknown_observation_id_is_an_error_naming_the_closest_ones() -> None:
    with pytest.raises(KeyError, match="introspection-inactive-shape"):
        observation_by_id("introspection-inactive-shap")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (_answer(400, {"error": "unauthorized_client"}), "HTTP 400 unauthorized_client"),
        (
            _answer(401, {"error": "invalid_client", "error_description": "no"}, 'Basic realm="x"'),
            "HTTP 401 invalid_client (no), WWW-Authenticate: Basic",
        ),
        (_answer(200, {"active": False}), "HTTP 200"),
    ],
)
def test_an_answer_is_summed_up_in_one_line(answer: Answer, expected: str) -> None:
    assert said(answer) == expected


@pytest.mark.parametrize(
    ("body", "value", "members"),
    [
        ({"active": False}, 'HTTP 200 {"active": false}, nothing else', ["active"]),
        ({"active": False, "exp": 1}, "HTTP 200, members: active, exp", ["active", "exp"]),
    ],
)
def test_the_inactive_shape_tells_a_bare_answer_from_one_with_more_members(
    body: dict[str, Any], value: str, members: list[str]
) -> None:
    target = _target()
    target.issuer_calls.default_introspection = _answer(200, body)
    observed, seen, data, _ = _observe("introspection-inactive-shape", target)
    assert observed and seen == value and data["members"] == members


@pytest.mark.parametrize(
    ("active", "value"),
    [
        (SCOPE_ACTIVE, "scope (string)"),
        (ZITADEL_ACTIVE, "urn:zitadel:iam:org:project:roles (object keyed by role)"),
        ({"active": True, "scope": "openid"},
         'nowhere (the Client credentials token\'s scope is "openid")'),
    ],
)  # fmt: skip
def test_roles_are_found_in_scope_or_in_a_role_claim(active: dict[str, Any], value: str) -> None:
    observed, seen, _, _ = _observe("introspection-roles-location", _target(active))
    assert observed and seen == value


@pytest.mark.parametrize(
    ("active", "kind"),
    [(SCOPE_ACTIVE, "a string"), (ZITADEL_ACTIVE, "an array"), ({"active": True}, "absent")],
)
def test_aud_is_recorded_as_a_string_an_array_or_absent(active: dict[str, Any], kind: str) -> None:
    observed, seen, data, _ = _observe("introspection-aud-shape", _target(active))
    assert observed and seen.startswith(kind) and data["type"] == kind


def test_a_token_that_is_not_active_cannot_show_where_roles_are() -> None:
    observed, _, _, detail = _observe("introspection-roles-location", _target({"active": False}))
    assert not observed and "did not introspect as active" in detail


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ({"active": True, "aud": "urn:other"}, 'active, aud "urn:other": the API must check'),
        ({"active": False}, "inactive: the issuer checks the audience"),
    ],
)
def test_a_token_for_another_audience_is_recorded_as_active_or_not(
    body: dict[str, Any], value: str
) -> None:
    target = _target()
    target.tokens[(Holder.OTHER_AUDIENCE, TokenFormat.OPAQUE)] = IssuedToken("other-aud-token")
    target.issuer_calls.introspection["other-aud-token"] = _answer(200, body)
    observed, seen, _, _ = _observe("introspection-other-audience", target)
    assert observed and seen.startswith(value)


def test_without_other_audience_scopes_the_other_audience_is_not_observed_said_once() -> None:
    observed, _, _, detail = _observe("introspection-other-audience", _target())
    assert not observed and detail.count("OTHER_AUDIENCE_SCOPES") == 1  # each grant: one reason


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        (_answer(200, {"active": True}), 'introspected: HTTP 200, "active": true'),
        (_answer(400, {"error": "unsupported_token_type"}),
         "refused: HTTP 400 unsupported_token_type"),
    ],
)  # fmt: skip
def test_a_jwt_access_token_is_recorded_as_introspected_or_refused(
    answer: Answer, value: str
) -> None:
    target = _target()
    target.tokens[(Holder.ROLE, TokenFormat.JWT)] = IssuedToken(JWT_TOKEN)
    target.issuer_calls.introspection[JWT_TOKEN] = answer
    assert _observe("introspection-jwt-access-token", target)[:2] == (True, value)


def test_an_opaque_token_labelled_jwt_is_not_taken_for_a_jwt() -> None:
    target = _target()
    target.tokens[(Holder.ROLE, TokenFormat.JWT)] = IssuedToken(OPAQUE_TOKEN)
    observed, _, _, detail = _observe("introspection-jwt-access-token", target)
    assert not observed and "JWT_ACCESS_TOKEN_SCOPES" in detail


def test_bad_credentials_at_both_endpoints_record_status_error_and_challenge() -> None:
    target = _target()
    refusal = _answer(401, {"error": "invalid_client"}, 'Basic realm="issuer"')
    target.issuer_calls.token_answer = refusal
    target.issuer_calls.default_introspection = refusal
    for observation_id in ("token-unknown-client", "introspection-bad-api-secret"):
        observed, seen, data, _ = _observe(observation_id, target)
        assert observed and seen == "HTTP 401 invalid_client, WWW-Authenticate: Basic"
        assert (data["status"], data["error"]) == (401, "invalid_client")


def test_without_the_basic_api_app_the_bad_api_secret_is_not_observed() -> None:
    target = _target()
    target.issuer_calls.apis = {}
    observed, _, _, detail = _observe("introspection-bad-api-secret", target)
    assert not observed and "Basic API app" in detail


@pytest.mark.parametrize(
    ("document", "value"),
    [({}, "absent (RFC 8414 §2"),
     ({"introspection_endpoint_auth_methods_supported": ["a"]}, '["a"]')],
)  # fmt: skip
def test_advertised_introspection_auth_methods_are_recorded(
    document: dict[str, Any], value: str
) -> None:
    target = _target()
    target.issuer_calls.document = document
    assert _observe("introspection-auth-methods", target)[1].startswith(value)


def test_the_token_response_members_come_from_the_recorded_exchange() -> None:
    body = '{"access_token":"[REDACTED:12345678]","token_type":"Bearer","expires_in":43199}'
    exchange = Exchange("POST", "http://issuer.test/token", status=200, response_body=body)
    target = _target()
    target.tokens[(Holder.ROLE, TokenFormat.OPAQUE)] = IssuedToken(
        OPAQUE_TOKEN, recorded=(exchange,)
    )
    observed, seen, data, _ = _observe("token-response-members", target)
    assert observed and seen == "access_token, expires_in, token_type (no scope, expires_in 43199)"
    assert data["expires_in"] == 43199


def _leaky(ctx: ObserveContext) -> Observed:
    return Observed(f"saw {OPAQUE_TOKEN}", {"nested": [{"k": OPAQUE_TOKEN}]}, OPAQUE_TOKEN)


def _broken(ctx: ObserveContext) -> Observed:
    raise RuntimeError(f"boom with {OPAQUE_TOKEN}")


def test_what_an_observation_records_is_redacted_everywhere() -> None:
    target = _target()
    target.redactor.add(OPAQUE_TOKEN)
    result = observe(Observation("leaky", "t", "RFC 0", _leaky), target)  # type: ignore[arg-type]
    assert OPAQUE_TOKEN not in repr(result.to_dict())
    assert "[REDACTED:" in result.value


def test_an_observation_that_crashes_is_recorded_as_not_observed_never_raised() -> None:
    target = _target()
    target.redactor.add(OPAQUE_TOKEN)
    result = observe(Observation("broken", "t", "RFC 0", _broken), target)  # type: ignore[arg-type]
    assert not result.observed
    assert result.detail.startswith("could not observe: RuntimeError: boom with [REDACTED:")
