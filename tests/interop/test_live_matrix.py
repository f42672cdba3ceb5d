"""The harness's live mode against oidc-provider: all six cells pass (issue #5).

`python -m harness --env-file <the fixture's .env>` runs the whole matrix against an issuer
nobody here wrote. Every MUST check that applies to a live issuer passes, the checks that need
extra settings really run (revocation over RFC 7009, a role-less token via NO_ROLE_SCOPES, a
token for another audience via OTHER_AUDIENCE_SCOPES, an unreachable issuer), the issuer's
behaviour is recorded, and the report (HTML + JSON) holds no secret of the `.env`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from harness.checks import ALL_CHECKS
from harness.model.matrix import cell_by_number

from .live_run import LiveRun, run_harness
from .provider_process import OidcProvider

pytestmark = pytest.mark.interop

ALL_CELLS = {1, 2, 3, 4, 5, 6}
# Local JWT validation (cells 7-9): this run's tokens are opaque, so none of it applies.
LOCAL_JWT_CELLS = {7, 8, 9}
TOKEN_ENDPOINT_CELLS = {1, 2, 3, 4}
PAT_CELLS = {5, 6}
# (check, cells) that do not apply against a live issuer, with the reason the report must give.
EXPECTED_NOT_APPLICABLE = {
    ("RFC7662-2.2-revoked-token", 5): "PERSONAL_ACCESS_TOKEN for good",
    ("RFC6750-3.1-insufficient-scope", 5): "a PAT's roles cannot be narrowed",
    ("RFC6750-3-challenge-names-scope", 5): "a PAT's roles cannot be narrowed",
    ("RFC6749-5.1-token-response", 5): "no token endpoint",
    ("RFC9068-2-token-format", 5): "a PAT is always opaque",
    ("RFC7662-4-wrong-audience", 5): "every PAT",
}


@pytest.fixture(scope="module")
def live_run(oidc_provider: OidcProvider, tmp_path_factory: pytest.TempPathFactory) -> LiveRun:
    """One live-mode run of the whole matrix against this worker's oidc-provider."""
    return run_harness(oidc_provider, tmp_path_factory.mktemp("live-report"))


def _expected_status(check_id: str, cell: int) -> str:
    key = (check_id, 5 if cell in PAT_CELLS else cell)
    check = next(c for c in ALL_CHECKS if c.id == check_id)
    introspected = cell not in LOCAL_JWT_CELLS and any(m.introspects for m in check.mechanisms)
    other_grant = cell_by_number(cell).grant not in check.grants  # e.g. client credentials only
    mcp_only = check.family == "mcp"  # the samples are no MCP servers (no protocol = "mcp")
    skipped = check.where == "mock" or key in EXPECTED_NOT_APPLICABLE or mcp_only
    if skipped or not introspected or other_grant:
        return "not_applicable"
    return "passed"


def test_the_live_run_against_oidc_provider_exits_0_with_all_six_cells(live_run: LiveRun) -> None:
    assert live_run.returncode == 0, live_run.stdout + live_run.stderr
    report = live_run.report
    assert report["info"]["mode"] == "live"
    assert {r["cell"] for r in report["results"]} == ALL_CELLS | LOCAL_JWT_CELLS
    assert {r["token_format"] for r in report["results"]} == {"opaque"}
    assert len(report["results"]) == len(ALL_CELLS | LOCAL_JWT_CELLS) * len(ALL_CHECKS)


def test_nothing_fails_and_every_check_that_applies_to_live_passes(live_run: LiveRun) -> None:
    failed = [(r["variant"], r["check_id"]) for r in live_run.report["results"]
              if r["status"] not in ("passed", "not_applicable")]  # fmt: skip
    assert failed == []
    unexpected = {
        (r["cell"], r["check_id"]): (r["status"], r["detail"])
        for r in live_run.report["results"]
        if r["status"] != _expected_status(r["check_id"], r["cell"])
    }
    assert unexpected == {}


@pytest.mark.parametrize(
    ("check_id", "cells"),
    [
        ("RFC6750-2.1-valid-token", ALL_CELLS),
        ("RFC7662-2.2-revoked-token", TOKEN_ENDPOINT_CELLS),
        ("RFC7662-4-wrong-audience", TOKEN_ENDPOINT_CELLS),
        ("RFC6750-3.1-role-present", ALL_CELLS),
        ("RFC6750-3.1-insufficient-scope", TOKEN_ENDPOINT_CELLS),
        ("RFC6750-3-challenge-names-scope", TOKEN_ENDPOINT_CELLS),
        ("RFC9110-15.6.4-issuer-down", ALL_CELLS),
        ("RFC6750-5.3-no-secrets-leaked", ALL_CELLS),
    ],
)
def test_checks_that_need_live_settings_really_run_and_pass(
    live_run: LiveRun, check_id: str, cells: set[int]
) -> None:
    statuses = {n: r["status"] for n, r in live_run.results(check_id).items()}
    assert {n for n, s in statuses.items() if s == "passed"} == cells


def test_not_applicable_checks_say_why(live_run: LiveRun) -> None:
    for (check_id, cell), reason in EXPECTED_NOT_APPLICABLE.items():
        for number in (cell, cell + 1):
            assert reason in live_run.results(check_id)[number]["detail"]
    mock_only = [c.id for c in ALL_CHECKS if c.where == "mock"]
    assert mock_only
    for check_id in mock_only:
        assert "mock issuer only" in live_run.results(check_id)[1]["detail"]


def test_revocation_goes_through_the_issuers_revocation_endpoint(live_run: LiveRun) -> None:
    for result in live_run.results("RFC7662-2.2-revoked-token").values():
        if result["status"] == "passed":
            urls = [e["url"] for e in result["exchanges"]]
            assert any(u.endswith("/token/revocation") for u in urls), urls
            assert any(u.endswith("/token/introspection") for u in urls), urls


@pytest.mark.parametrize(
    ("observation_id", "expected"),
    [
        ("token-unknown-client", {"status": 401, "error": "invalid_client"}),
        ("introspection-bad-api-secret", {"status": 401, "error": "invalid_client"}),
        ("introspection-inactive-shape", {"status": 200, "members": ["active"]}),
        ("introspection-aud-shape", {"type": "a string", "aud": "urn:interop:messages-api"}),
        ("introspection-other-audience", {"active": True, "aud": "urn:interop:other-api"}),
        ("introspection-jwt-access-token", {"status": 400, "error": "unsupported_token_type"}),
        ("introspection-roles-location", {"members": {"scope": "string"}}),
        ("introspection-auth-methods", {"introspection_endpoint_auth_methods_supported": None}),
    ],
)
def test_the_issuer_behaviour_of_oidc_provider_is_recorded(
    live_run: LiveRun, observation_id: str, expected: dict[str, object]
) -> None:
    observation = live_run.observation(observation_id)
    assert observation["observed"], observation["detail"]
    assert {k: observation["data"].get(k) for k in expected} == expected


def test_the_terminal_shows_the_matrix_and_the_issuer_behaviour(live_run: LiveRun) -> None:
    assert "| 1: PASS" in live_run.stdout and "| 6: PASS" in live_run.stdout
    behaviour = live_run.stdout.split("Issuer behaviour (recorded, not judged):")[1]
    assert "introspection-jwt-access-token" in behaviour
    assert "unsupported_token_type" in behaviour


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids |= {value or "" for name, value in attrs if name == "id"}


def test_the_report_is_written_and_readable(live_run: LiveRun) -> None:
    parser = _Html()
    parser.feed(live_run.html)
    assert {f"cell{n}" for n in ALL_CELLS} <= parser.ids
    assert "issuer-behaviour" in parser.ids
    assert "observation-introspection-inactive-shape" in parser.ids
    assert json.loads(live_run.json_text)["info"]["issuer"].startswith("http://127.0.0.1:")


def _secrets(provider: OidcProvider) -> Iterator[str]:
    """Every secret of the .env, in the forms it travels in."""
    env = provider.env
    for user, name in (("API_CLIENT_ID", "API_CLIENT_SECRET"), ("CLIENT_ID", "CLIENT_SECRET")):
        secret = env[name]
        yield from (secret, quote_plus(secret), quote(secret, safe=""))
        pair = f"{quote_plus(env[user])}:{quote_plus(secret)}"
        yield base64.b64encode(pair.encode()).decode()
    yield env["PERSONAL_ACCESS_TOKEN"]
    for name in ("API_PRIVATE_KEY_FILE", "CLIENT_PRIVATE_KEY_FILE_PATH"):
        pem = json.loads(Path(env[name]).read_text(encoding="utf-8"))["key"]
        yield from (line for line in pem.splitlines()[1:-1] if len(line) >= 16)


def test_no_secret_of_the_env_file_reaches_the_report_or_the_terminal(
    live_run: LiveRun, oidc_provider: OidcProvider
) -> None:
    shown = {"html": live_run.html, "json": live_run.json_text,
             "stdout": live_run.stdout, "stderr": live_run.stderr}  # fmt: skip
    leaks = [(where, secret[:4] + "…") for secret in _secrets(oidc_provider)
             for where, text in shown.items() if secret in text]  # fmt: skip
    assert leaks == []
    assert "[REDACTED:" in live_run.json_text


def test_every_access_token_in_a_recorded_exchange_is_redacted(live_run: LiveRun) -> None:
    bodies = [e["response_body"] for r in live_run.report["results"] for e in r["exchanges"]]
    tokens = [json.loads(b).get("access_token") for b in bodies if '"access_token"' in b]
    assert tokens
    assert all(t.startswith("[REDACTED:") for t in tokens)
