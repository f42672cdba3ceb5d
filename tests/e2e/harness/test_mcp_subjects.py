"""MCP servers as subjects (``protocol = "mcp"``): the protected call is MCP's streamable HTTP
exchange, the MCP checks pass on a correct server, and a server broken on purpose fails exactly
the check about its defect."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness.checks import check_by_id
from harness.checks.mcp import CHECKS
from harness.model.matrix import cell_by_number
from harness.model.results import CheckResult, Status
from harness.run.runner import Plan, run_matrix
from harness.subjects.file import load_subject
from harness.targets.spec import TargetSpec

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[3]
CORE = ["RFC6750-2.1-valid-token", "RFC6750-3.1-no-credentials", "RFC6750-3.1-garbage-token",
        "RFC6750-3.1-insufficient-scope", "RFC7662-4-wrong-audience",
        "RFC6750-2.2-form-token-not-accepted"]  # fmt: skip
MCP = [c.id for c in CHECKS]


def _mcp_subject(tmp_path: Path, defect: str = "") -> Path:
    text = f"""
        name = "test-mcp{"-" + defect if defect else ""}"
        mechanism = "client_secret_basic"
        protocol = "mcp"
        command = ["{{python}}", "-m", "tests.e2e.harness.mcp_server", "--env-file", "{{env_file}}",
                   "--port", "{{port}}"]
        cwd = "{REPO}"
        [routes]
        public = "/api/public"
        private = "/mcp"
        scoped = "/scoped/mcp"
        [env]
        ZITADEL_DOMAIN = "{{issuer}}"
        API_CLIENT_ID = "{{api_client_id}}"
        API_CLIENT_SECRET = "{{api_client_secret}}"
        MCP_DEFECT = "{defect}"
    """
    path = tmp_path / "mcp.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _results(tmp_path: Path, defect: str = "") -> dict[str, CheckResult]:
    subject = load_subject(_mcp_subject(tmp_path, defect))
    checks = tuple(check_by_id(c) for c in CORE + MCP)
    plan = Plan(TargetSpec(), (cell_by_number(4),), checks, (), subjects=(subject,))
    run = run_matrix(plan, workers=1)
    assert not run.info.problems, run.info.problems
    return {r.check_id: r for r in run.results if r.token_format == "opaque"}


def test_a_correct_mcp_server_passes_the_mcp_checks_through_the_mcp_call(tmp_path: Path) -> None:
    found = _results(tmp_path)
    statuses = {check: r.status for check, r in found.items()}
    assert statuses == {**dict.fromkeys(CORE + MCP, Status.PASSED),
                        "RFC6750-2.2-form-token-not-accepted": Status.NOT_APPLICABLE}  # fmt: skip
    valid = found["RFC6750-2.1-valid-token"]
    bodies = [x.request_body for x in valid.exchanges]
    assert [b.split('"method": "')[1].split('"')[0] for b in bodies] == [
        "initialize",
        "notifications/initialized",
        "tools/list",
    ]
    assert "tools ['hello']" in found["MCP-transport-tools-list"].actual


def _failed(found: dict[str, CheckResult]) -> dict[str, tuple[str, bool]]:
    return {c: (str(r.level), r.fail_open) for c, r in found.items() if r.status is Status.FAILED}


def test_a_server_that_trusts_the_session_fails_open_on_every_request(tmp_path: Path) -> None:
    assert _failed(_results(tmp_path, "trusts-session")) == {
        "MCP-authz-every-request": ("MUST", True)
    }


def test_a_server_naming_no_metadata_fails_the_two_challenge_checks(tmp_path: Path) -> None:
    assert _failed(_results(tmp_path, "no-resource-metadata")) == {
        "MCP-authz-401-resource-metadata": ("SHOULD", False),  # the well-known URI serves it
        "MCP-authz-403-names-scope": ("SHOULD", False),
    }
