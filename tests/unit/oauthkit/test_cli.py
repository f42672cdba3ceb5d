"""The clients' command line: token printed, API called, issuer errors shown with hints."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest

from oauthkit import ClientCredentialsGrant, GrantKind, JwtProfileGrant, PatGrant
from oauthkit.commands import run_client

from .fakes import ISSUER, FakeIssuer, json_response, write_json

API = "http://api.test/api/private-scoped"


@pytest.fixture
def env_file(tmp_path: Path, user_key_json: dict[str, str]) -> Path:
    write_json(tmp_path / "client-key-file.json", user_key_json)
    path = tmp_path / ".env"
    path.write_text(
        f"ZITADEL_DOMAIN={ISSUER}\nPROJECT_ID=P1\n"
        "CLIENT_PRIVATE_KEY_FILE_PATH=client-key-file.json\n"
        "CLIENT_ID=svc\nCLIENT_SECRET=svc-secret\nPERSONAL_ACCESS_TOKEN=pat-token\n",
        encoding="utf-8",
    )
    return path


class Run:
    """The outcome of one command line run."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run(
    kind: GrantKind,
    fake: FakeIssuer,
    *args: str,
    environ: dict[str, str] | None = None,
) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = run_client(
        "service_user_x",
        kind,
        list(args),
        environ or {},
        transport=fake.transport(),
        clock=lambda: 1_760_000_000.0,
        stdout=out,
        stderr=err,
    )
    return Run(code, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("kind", [JwtProfileGrant, ClientCredentialsGrant])
def test_token_is_printed_alone_on_stdout(
    kind: GrantKind, fake_issuer: FakeIssuer, env_file: Path
) -> None:
    result = run(kind, fake_issuer, "--env-file", str(env_file))
    assert (result.code, result.out, result.err) == (0, "tok-1\n", "")


def test_pat_is_printed_without_asking_the_issuer(fake_issuer: FakeIssuer, env_file: Path) -> None:
    result = run(PatGrant, fake_issuer, "--env-file", str(env_file))
    assert result.out == "pat-token\n"
    assert fake_issuer.requests == []


def test_json_output_has_the_rfc6749_members(fake_issuer: FakeIssuer, env_file: Path) -> None:
    result = run(ClientCredentialsGrant, fake_issuer, "--env-file", str(env_file), "--json")
    assert json.loads(result.out) == {
        "access_token": "tok-1",
        "token_type": "Bearer",
        "expires_in": 3600,
        "scope": None,
    }


def test_call_prints_status_and_body_and_sends_the_token(
    fake_issuer: FakeIssuer, env_file: Path
) -> None:
    seen: list[str] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return json_response(200, {"message": "hi"})

    fake_issuer.routes["/api/private-scoped"] = api
    result = run(JwtProfileGrant, fake_issuer, "--env-file", str(env_file), "--call", API)
    assert result.code == 0
    assert result.out == 'HTTP 200\n{"message": "hi"}\n'
    assert seen == ["Bearer tok-1"]


def test_call_refused_exits_1_and_json_shows_status_and_body(
    fake_issuer: FakeIssuer, env_file: Path
) -> None:
    fake_issuer.routes["/api/private-scoped"] = lambda r: json_response(403, {"error": "x"})
    args = ("--env-file", str(env_file), "--call", API, "--json")
    result = run(ClientCredentialsGrant, fake_issuer, *args)
    assert result.code == 1
    assert json.loads(result.out) == {"url": API, "status": 403, "body": {"error": "x"}}


def test_401_without_audience_scope_hints_at_the_zitadel_aud_scope(
    fake_issuer: FakeIssuer, env_file: Path
) -> None:
    fake_issuer.routes["/api/private-scoped"] = lambda r: json_response(401, {"error": "e"})
    environ = {"TOKEN_SCOPES": "openid profile"}
    args = ("--env-file", str(env_file), "--call", API)
    result = run(ClientCredentialsGrant, fake_issuer, *args, environ=environ)
    assert "urn:zitadel:iam:org:project:id:<PROJECT_ID>:aud" in result.err


def test_issuer_error_shows_error_description_and_hint(
    fake_issuer: FakeIssuer, env_file: Path
) -> None:
    fake_issuer.token = lambda r: json_response(
        400, {"error": "invalid_client", "error_description": "client not found"}
    )
    result = run(ClientCredentialsGrant, fake_issuer, "--env-file", str(env_file))
    assert result.code == 1
    assert "invalid_client (400)" in result.err and "client not found" in result.err
    assert "hint: check CLIENT_ID" in result.err
    assert "svc-secret" not in result.err + result.out


def test_zitadel_500_for_a_bad_assertion_hints_at_the_key_file(
    fake_issuer: FakeIssuer, env_file: Path
) -> None:
    fake_issuer.token = lambda r: json_response(
        500, {"error": "server_error", "error_description": "Errors.Internal"}
    )
    result = run(JwtProfileGrant, fake_issuer, "--env-file", str(env_file), "--json")
    assert json.loads(result.out)["hint"].startswith("the issuer rejected the signed assertion")


def test_application_key_for_the_jwt_client_is_a_config_error_exit_2(
    fake_issuer: FakeIssuer, env_file: Path, app_key_json: dict[str, str]
) -> None:
    write_json(env_file.parent / "client-key-file.json", app_key_json)
    result = run(JwtProfileGrant, fake_issuer, "--env-file", str(env_file))
    assert result.code == 2
    assert "needs a service user's key ('type': 'serviceaccount')" in result.err


def test_missing_variable_is_a_config_error_exit_2(fake_issuer: FakeIssuer, tmp_path: Path) -> None:
    empty = tmp_path / "empty.env"
    empty.write_text("", encoding="utf-8")
    result = run(PatGrant, fake_issuer, "--env-file", str(empty))
    assert result.code == 2 and "PERSONAL_ACCESS_TOKEN is not set" in result.err


def test_missing_project_id_warns_on_stderr(fake_issuer: FakeIssuer, env_file: Path) -> None:
    text = env_file.read_text(encoding="utf-8").replace("PROJECT_ID=P1\n", "")
    env_file.write_text(text, encoding="utf-8")
    result = run(ClientCredentialsGrant, fake_issuer, "--env-file", str(env_file))
    assert result.code == 0 and "warning: PROJECT_ID is not set" in result.err


def test_process_environment_overrides_the_env_file(
    fake_issuer: FakeIssuer, env_file: Path
) -> None:
    result = run(
        PatGrant, fake_issuer, "--env-file", str(env_file), environ={"PERSONAL_ACCESS_TOKEN": "env"}
    )
    assert result.out == "env\n"


def test_unreachable_issuer_exits_1_naming_the_url(fake_issuer: FakeIssuer, env_file: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    fake_issuer.discovery = refuse
    result = run(JwtProfileGrant, fake_issuer, "--env-file", str(env_file))
    assert result.code == 1 and f"{ISSUER}/.well-known/openid-configuration" in result.err


def test_unreachable_api_exits_1(fake_issuer: FakeIssuer, env_file: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    fake_issuer.routes["/api/private-scoped"] = refuse
    result = run(PatGrant, fake_issuer, "--env-file", str(env_file), "--call", API)
    assert result.code == 1 and "api_unreachable" in result.err


def test_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        run_client("service_user_jwt", JwtProfileGrant, ["--help"], {})
    assert raised.value.code == 0
    text = capsys.readouterr().out
    assert all(option in text for option in ("--env-file", "--call", "--json"))
