"""Third-party resource servers as subjects: the harness's verdicts on code nobody here wrote.

Each subject runs the client-credentials cell of its mechanism (opaque and JWT access tokens)
against the mock issuer, and the verdict of every pinned check is asserted, at the pinned versions
of each subject's dependencies. A verdict is ``passed``, ``n/a``, ``MUST`` / ``SHOULD`` (a
failure at that level) or ``fail-open``. A subject whose toolchain or install is missing
skips with the reason (fails under ``CI=true``): ``tests/install-deps.sh`` (run by ``.ci/run``)
installs and builds them.

The verdicts are read from the session's one run of every subject (``conftest.py``: every
cell, three workers), which ``test_report_of_every_subject.py`` measures too: the subjects run
once per session, side by side, each with its own issuer.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from harness.model.matrix import Grant, cells
from harness.model.results import CheckResult, RunResult, Status
from harness.subjects.file import Subject, load_subject
from tests.subjects.conftest import SubjectsRun
from tests.subjects.installs import installed

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
PASSED, NA, MUST, SHOULD = "passed", "n/a", "MUST", "SHOULD"

# Verdicts every introspecting subject here shares (the token itself, and the mock's answers).
COMMON = {
    "RFC6749-5.1-token-response": PASSED,
    "RFC9068-2-token-format": PASSED,
    "ROUTE-public-without-token": PASSED,
    "RFC6750-2.1-valid-token": PASSED,
    "RFC6750-5.3-no-secrets-leaked": PASSED,
    "RFC9110-15.6.4-issuer-slow": SHOULD,  # each waits out a slow issuer: no short timeout
    "RFC9110-15.6.4-issuer-5xx": SHOULD,
    "RFC9110-15.6.4-issuer-down": SHOULD,
    "RFC9110-15.6.4-issuer-drops-connection": SHOULD,
}
PASSPORT = {
    **COMMON,
    "RFC6750-3.1-no-credentials": MUST,  # 401 without any WWW-Authenticate
    "RFC6750-3.1-other-scheme": MUST,
    "RFC6750-3.1-malformed-header": SHOULD,  # 401 instead of 400 invalid_request
    "RFC9110-11.1-scheme-case-insensitive": PASSED,
    "RFC6750-3.1-garbage-token": MUST,  # 401, but no Bearer challenge
    "RFC6750-3-error-body-json": PASSED,  # "Unauthorized" as text: recorded (MAY)
    "RFC7662-2.2-revoked-token": MUST,
    "RFC7662-2.2-expired-token": MUST,
    "RFC7662-4-wrong-audience": MUST,
    "RFC6750-3.1-role-present": NA,  # no roles in passport-zitadel: no scoped route
    "RFC6750-3.1-insufficient-scope": NA,
    "RFC6750-3-challenge-names-scope": NA,
    "RFC9110-15.6.4-issuer-malformed-json": SHOULD,  # read as inactive: 401
    "RFC7662-2.1-issuer-rejects-api-credentials": MUST,  # the issuer's 400 passed on as is
}
LOCAL_JWT_COMMON = {
    "RFC6749-5.1-token-response": PASSED,
    "RFC9068-2-token-format": PASSED,
    "ROUTE-public-without-token": PASSED,
    "RFC6750-2.1-valid-token": PASSED,
    "RFC6750-3.1-no-credentials": PASSED,
    "RFC9110-11.1-scheme-case-insensitive": PASSED,
    "RFC6750-3.1-role-present": PASSED,
    "RFC6750-3.1-malformed-header": SHOULD,
    "RFC6750-3-error-body-json": PASSED,  # informational (MAY): never a failure
    "RFC7517-5-jwks-down-cached-key": PASSED,
    "RFC7517-5-key-rotation": PASSED,
    "RFC7517-5-unknown-kid-flood": PASSED,
    "RFC9068-4-revoked-jwt-accepted-until-exp": PASSED,
    # Given a stand-in issuer, a local validator rightly refuses every token's iss first.
    "RFC9110-15.6.4-issuer-down": NA,
    "RFC9110-15.6.4-jwks-down-unknown-key": SHOULD,  # 401: the outage taken for a bad token
}
# The zitadel-go SDK's Authorizer and net/http middleware, whichever verifier is behind them.
ZITADEL_GO = {
    "RFC6750-3.1-no-credentials": MUST,  # 401 without any WWW-Authenticate
    "RFC6750-3.1-other-scheme": MUST,
    "RFC6750-3.1-malformed-header": SHOULD,  # 401 instead of 400 invalid_request
    "RFC9110-11.1-scheme-case-insensitive": MUST,  # "bearer" refused: prefix "Bearer "
    "RFC6750-3.1-garbage-token": MUST,
    "RFC6750-3-error-body-json": PASSED,  # plain text: recorded (MAY)
    "RFC7662-4-wrong-audience": MUST,  # refused, but without a challenge
    "RFC6750-3.1-role-present": PASSED,
    "RFC6750-3.1-insufficient-scope": MUST,  # 403 without a challenge
    "RFC6750-3-challenge-names-scope": PASSED,
}
# MCP servers (protocol = "mcp"): every check runs on MCP's streamable HTTP exchange.
MCP_COMMON = {
    "RFC6749-5.1-token-response": PASSED,
    "ROUTE-public-without-token": PASSED,  # the protected resource metadata document
    "RFC6750-2.1-valid-token": PASSED,
    "RFC6750-3.1-malformed-header": SHOULD,  # 401 instead of 400 invalid_request
    "RFC9110-11.1-scheme-case-insensitive": PASSED,
    "RFC6750-3.1-garbage-token": PASSED,
    "RFC6750-3.1-insufficient-scope": PASSED,
    "RFC6750-3.1-no-scope-before-valid-token": NA,  # MCP asks for the scope in the 401
    "RFC6750-2.2-form-token-not-accepted": NA,  # an MCP body is its JSON-RPC message
    "MCP-authz-401-resource-metadata": PASSED,
    "MCP-transport-tools-list": PASSED,
    "MCP-authz-every-request": PASSED,
    "ZITADEL-roles-other-project-only": PASSED,
    "ZITADEL-roles-audience-without-grant": PASSED,
    "ZITADEL-roles-wrong-shape": PASSED,
    "RFC6750-5.3-no-secrets-leaked": PASSED,
    # Each endpoint's RFC 9728 metadata: its URL, the issuer, the header, the scoped role.
    "RFC9728-3.3-resource-identical": PASSED,
    "RFC9728-2-authorization-servers": PASSED,
    "RFC9728-2-bearer-methods": PASSED,
    "RFC9728-2-scopes-supported": PASSED,
}
MCP_INTROSPECTING = {
    "RFC7662-2.2-revoked-token": PASSED,
    "RFC7662-4-wrong-audience": PASSED,  # a token for another resource (RFC 8707): refused
    "RFC9110-15.6.4-issuer-5xx": SHOULD,  # a verifier answers a token or None: 401, never 503
    "RFC9110-15.6.4-issuer-down": SHOULD,
    "RFC7662-2.2-lie-foreign-issuer": "fail-open",  # iss never read
    "RFC7662-2.2-lie-not-yet-valid": "fail-open",  # nbf never read
    "RFC6749-2.3.1-basic-form-urlencoded": MUST,  # id:secret base64-encoded as they are
}
EXPECTED: dict[str, dict[str, str]] = {
    "fastapi_zitadel_auth/subject.toml": {
        **LOCAL_JWT_COMMON,
        "RFC6750-3.1-other-scheme": PASSED,
        # Refusals come with a bare "Bearer" challenge, no error code: SHOULD failures.
        "RFC6750-3.1-garbage-token": SHOULD,
        "RFC6750-3.1-insufficient-scope": SHOULD,
        "RFC7515-5.2-foreign-key-known-kid": SHOULD,
        "RFC7519-4.1.4-expired-jwt": SHOULD,
        "RFC7519-4.1.5-not-yet-valid": SHOULD,
        "RFC7662-4-wrong-audience": SHOULD,
        "RFC8725-2.1-hs256-public-key": SHOULD,
        "RFC8725-3.1-alg-none": SHOULD,
        "RFC9068-4-opaque-token": SHOULD,
        "RFC9068-4-wrong-audience": SHOULD,
        "RFC9068-4-wrong-issuer": SHOULD,
        "RFC9068-4-id-token": MUST,  # 400 invalid_request for an ID token
        "RFC6750-5.3-no-secrets-leaked": MUST,  # logs a token it cannot parse, in full
        # Its OpenAPI document: every secured operation refuses, with the same bare challenge.
        "OPENAPI-document-valid": PASSED,
        "OPENAPI-secured-no-token": PASSED,
        "OPENAPI-secured-bad-tokens": SHOULD,
        "OPENAPI-secured-insufficient-scope": NA,  # the role check is invisible to the document
    },
    "express_jwt_bearer/subject.toml": {
        **LOCAL_JWT_COMMON,
        "RFC6750-3.1-other-scheme": MUST,
        "RFC6750-3.1-garbage-token": PASSED,
        "RFC6750-3.1-insufficient-scope": MUST,
        "RFC7515-5.2-foreign-key-known-kid": PASSED,
        "RFC7519-4.1.4-expired-jwt": PASSED,
        "RFC7519-4.1.5-not-yet-valid": PASSED,
        "RFC7662-4-wrong-audience": PASSED,
        "RFC8725-2.1-hs256-public-key": PASSED,
        "RFC8725-3.1-alg-none": PASSED,
        "RFC9068-4-opaque-token": PASSED,
        "RFC9068-4-wrong-audience": PASSED,
        "RFC9068-4-wrong-issuer": PASSED,
        "RFC9068-4-id-token": "fail-open",  # an ID token is taken for an access token
        "RFC6750-5.3-no-secrets-leaked": PASSED,
    },
    "authlib_flask/subject.toml": {
        **COMMON,
        "RFC6750-3.1-no-credentials": MUST,  # error="missing_authorization", not RFC 6750
        "RFC6750-3.1-other-scheme": MUST,  # error="unsupported_token_type"
        "RFC6750-3.1-malformed-header": SHOULD,
        "RFC9110-11.1-scheme-case-insensitive": PASSED,
        "RFC6750-3.1-garbage-token": PASSED,
        "RFC6750-3-error-body-json": PASSED,
        "RFC7662-2.2-revoked-token": PASSED,
        "RFC7662-2.2-expired-token": PASSED,
        "RFC7662-4-wrong-audience": PASSED,
        "RFC6750-3.1-role-present": MUST,  # roles looked for in `scope`, which ZITADEL strips
        "RFC6750-3.1-insufficient-scope": MUST,  # 403 without a challenge
        "RFC6750-3-challenge-names-scope": PASSED,
        "RFC9110-15.6.4-issuer-malformed-json": SHOULD,
        "RFC7662-2.1-issuer-rejects-api-credentials": SHOULD,  # 500
        # The lying issuer: IntrospectTokenValidator trusts the answer's shape.
        "RFC7662-2.2-lie-active-string": "fail-open",  # "true" is truthy
        "RFC7662-2.2-lie-active-missing": MUST,  # KeyError: 500
        "RFC7662-2.2-lie-expired": "fail-open",  # exp not checked by this glue
        "RFC8259-9-lie-deep-nesting": MUST,  # RecursionError: 500
        "RFC7662-2.2-lie-302-elsewhere": "fail-open",  # requests follows the redirect
        "RFC9110-15.6.4-lie-drip-body": SHOULD,  # a per-read timeout: the true answer, late
        "RFC6750-2.3-query-token-not-accepted": PASSED,
        "RFC6749-2.3-one-client-auth-method": PASSED,
        "RFC6749-2.3.1-basic-form-urlencoded": MUST,  # raw id:secret in the Basic header
        "RFC7662-4-propagation-revocation": PASSED,
    },
    # The zitadel-go SDK's middleware answers every refusal with http.Error: plain text, no
    # WWW-Authenticate (pkg/http/middleware/authz.go); docs/findings/zitadel-go.md has each line.
    "zitadel_go_sdk/introspection.toml": {
        **COMMON,
        **ZITADEL_GO,
        "RFC7662-2.2-revoked-token": MUST,
        "RFC7662-2.2-expired-token": MUST,
        "RFC9110-15.6.4-issuer-malformed-json": SHOULD,  # 401: an outage taken for a bad token
        "RFC7662-2.1-issuer-rejects-api-credentials": SHOULD,
        "RFC6750-3.1-inactive-token-no-reason": MUST,
        "RFC6750-3-no-issuer-details": SHOULD,  # the issuer's error text is the body
        # zitadel/oidc's rs (v3.45.5) parses strictly but trusts an active answer's claims.
        "RFC7662-2.2-lie-active-string": SHOULD,  # refused, as a bad token (401)
        "RFC7662-2.2-lie-active-missing": SHOULD,
        "RFC7662-2.2-lie-expired": "fail-open",  # exp and nbf of an active answer unread
        "RFC7662-4-lie-foreign-audience": "fail-open",  # aud unread
        "RFC7662-2.2-lie-302-elsewhere": "fail-open",  # net/http follows the redirect
        "RFC8259-4-lie-active-duplicate": SHOULD,  # encoding/json keeps the last member
        "RFC9110-15.6.4-lie-drip-body": SHOULD,  # 30 s timeout: the true answer, late
        "RFC6750-2-header-and-query-400": SHOULD,  # the query is not read: 200
        "RFC9110-5.3-two-authorization-headers-400": SHOULD,
        "RFC6750-2.3-query-token-not-accepted": PASSED,
        "RFC7662-2.1-degenerate-token-not-introspected": SHOULD,
        "RFC6749-2.3-one-client-auth-method": PASSED,
        "RFC7523-3-assertion-iss-equals-sub": PASSED,
        "RFC7523-3-assertion-aud-issuer": PASSED,
        "RFC7523-3-assertion-jti": SHOULD,  # zitadel/oidc signs no jti
        "RFC7523-3-assertion-short-lifetime": SHOULD,  # an hour
        "RFC7662-4-propagation-revocation": PASSED,
    },
    "zitadel_go_sdk/jwt.toml": {
        **LOCAL_JWT_COMMON,
        **ZITADEL_GO,
        "RFC7517-5-unknown-kid-flood": SHOULD,  # one JWKS fetch per unknown kid
        "RFC7515-5.2-foreign-key-known-kid": MUST,
        "RFC7519-4.1.4-expired-jwt": MUST,
        "RFC7519-4.1.5-not-yet-valid": "fail-open",  # nbf not checked
        "RFC8725-2.1-hs256-public-key": MUST,
        "RFC8725-3.1-alg-none": MUST,
        "RFC9068-4-opaque-token": MUST,
        "RFC9068-4-wrong-audience": MUST,
        "RFC9068-4-wrong-issuer": MUST,
        "RFC9068-4-id-token": "fail-open",  # typ not checked (RFC 9068 §4: at+jwt)
        "RFC6750-2-header-and-query-400": SHOULD,
        "RFC9110-5.3-two-authorization-headers-400": SHOULD,
        "RFC6750-5.3-no-secrets-leaked": PASSED,
    },
    # The MCP Python SDK's RequireAuthMiddleware, a verifier written as its example shows.
    "mcp_python_sdk/subject.toml": {
        **MCP_COMMON,
        **MCP_INTROSPECTING,
        "RFC6750-3.1-no-credentials": MUST,  # error="invalid_token" without credentials
        "RFC6750-3.1-other-scheme": MUST,
        "RFC6750-3.1-role-present": PASSED,
        "MCP-authz-403-names-scope": SHOULD,  # the 403 challenge names no scope=
        "ZITADEL-roles-project-claim-alone": PASSED,
        "ZITADEL-roles-generic-claim-alone": PASSED,
        "RFC7662-2.2-lie-active-string": "fail-open",  # data.get("active", False): truthy
    },
    # fastmcp's own verifiers behind its RequireAuthMiddleware (a bare 401 without credentials).
    "fastmcp/fastmcp-introspection.toml": {
        **MCP_COMMON,
        **MCP_INTROSPECTING,
        "RFC6750-3.1-no-credentials": PASSED,
        "RFC6750-3.1-other-scheme": PASSED,
        "RFC6750-3.1-role-present": MUST,  # required scopes looked for in `scope` only
        "MCP-authz-403-names-scope": PASSED,
        "ZITADEL-roles-project-claim-alone": MUST,
        "ZITADEL-roles-generic-claim-alone": SHOULD,
        "RFC7662-2.2-lie-active-string": "fail-open",  # introspection_data.get("active")
    },
    "fastmcp/fastmcp-jwt.toml": {
        **MCP_COMMON,
        "RFC6750-3.1-no-credentials": PASSED,
        "RFC6750-3.1-other-scheme": PASSED,
        "RFC6750-3.1-role-present": MUST,
        "MCP-authz-403-names-scope": PASSED,
        "ZITADEL-roles-project-claim-alone": MUST,
        "ZITADEL-roles-generic-claim-alone": SHOULD,
        "RFC9068-4-wrong-audience": PASSED,
        "RFC7519-4.1.5-not-yet-valid": "fail-open",  # nbf not checked
        "RFC9068-4-id-token": "fail-open",  # neither typ nor client_id read
        "RFC9068-4-typ-not-at-jwt": "fail-open",
        "RFC7515-4.1.2-jku-canary": PASSED,  # the canary got no fetch
        "RFC7515-4.1.3-embedded-jwk": PASSED,
        "RFC7518-3.4-psychic-signature": PASSED,  # one algorithm, RS256
        "RFC7515-4.1.11-unknown-crit": PASSED,
        "RFC8725-3.1-alg-none": PASSED,
    },
    # The MCP TypeScript SDK's requireBearerAuth, a verifier written as its example shows.
    "mcp_typescript_sdk/subject.toml": {
        **MCP_COMMON,
        **MCP_INTROSPECTING,
        "RFC6750-3.1-no-credentials": MUST,  # error="invalid_token" without credentials
        "RFC6750-3.1-other-scheme": MUST,
        "RFC6750-3.1-role-present": PASSED,
        "MCP-authz-403-names-scope": PASSED,
        "ZITADEL-roles-project-claim-alone": PASSED,
        "ZITADEL-roles-generic-claim-alone": PASSED,
        "RFC7662-2.2-lie-active-string": "fail-open",  # the example never reads active
    },
    "passport_zitadel/passport-basic.toml": PASSPORT,
    "passport_zitadel/passport-jwt.toml": PASSPORT,
    # zitadel/oidc's rs (v3.52.0) behind glue that answers as RFC 6750 says: what is left is rs's.
    "zitadel_oidc_go/subject.toml": {
        **{check: PASSED for check in COMMON},
        "RFC9110-15.6.4-issuer-slow": SHOULD,  # rs's client waits 30 s
        "RFC6750-3.1-no-credentials": PASSED,
        "RFC6750-3.1-malformed-header": PASSED,
        "RFC9110-11.1-scheme-case-insensitive": PASSED,
        "RFC6750-3.1-garbage-token": PASSED,
        "RFC7662-2.2-revoked-token": PASSED,
        "RFC7662-4-wrong-audience": PASSED,
        "RFC6750-3.1-role-present": PASSED,
        "RFC6750-3.1-insufficient-scope": PASSED,
        "RFC9110-15.6.4-issuer-malformed-json": PASSED,
        "RFC7662-2.1-issuer-rejects-api-credentials": PASSED,
        "RFC7662-2.2-lie-active-string": PASSED,  # a parse error: 503 by the glue
        "RFC7662-2.2-lie-active-missing": SHOULD,  # read as inactive: 401
        "RFC7662-2.2-lie-expired": "fail-open",  # exp of an active answer unread
        "RFC7662-4-lie-foreign-audience": "fail-open",  # aud unread
        "RFC7662-2.2-lie-302-elsewhere": "fail-open",  # Introspect follows the redirect
        "RFC8259-9-lie-huge-body": PASSED,  # v3.52.0 reads at most 1 MiB
        "RFC7523-3-assertion-jti": PASSED,  # v3.52.0 signs a jti
        "RFC7523-3-assertion-short-lifetime": SHOULD,  # still an hour
    },
}


def verdicts(run: RunResult) -> dict[str, str]:
    """Each check's verdict over the variants run (joined with '/' where they differ)."""
    found: dict[str, Counter[str]] = {}
    for result in run.results:
        found.setdefault(result.check_id, Counter())[verdict(result)] += 1
    return {check: "/".join(sorted(seen)) for check, seen in found.items()}


def verdict(result: CheckResult) -> str:
    """One result's verdict word."""
    if result.status is Status.FAILED:
        return "fail-open" if result.fail_open else str(result.level)
    return PASSED if result.status is Status.PASSED else NA


def pinned_results(run: RunResult, subject: Subject, expected: dict[str, str]) -> RunResult:
    """The run's results for the pinned checks of ``subject``, in the client-credentials cell
    of its mechanism (the session's run of every subject holds every cell)."""
    cell = next(
        c for c in cells()
        if c.mechanism is subject.mechanism and c.grant is Grant.CLIENT_CREDENTIALS
    )  # fmt: skip
    mine = [r for r in run.results if r.subject == subject.name and r.cell == cell.number]
    return dataclasses.replace(run, results=[r for r in mine if r.check_id in expected])


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_the_third_party_subject_gets_its_pinned_verdicts(
    path: str, subjects_run: SubjectsRun
) -> None:
    subject = load_subject(HERE / path)
    installed(subject)
    expected = EXPECTED[path]
    run = pinned_results(subjects_run.result, subject, expected)
    assert run.results, f"no result of {subject.name} in the run of every subject"
    assert {c: v for c, v in verdicts(run).items() if c in expected} == expected


def test_every_subject_file_here_is_pinned() -> None:
    files = {str(p.relative_to(HERE)) for p in HERE.rglob("*.toml") if ".cache" not in p.parts
             and "node_modules" not in p.parts and ".venv" not in p.parts}  # fmt: skip
    assert files == set(EXPECTED)
