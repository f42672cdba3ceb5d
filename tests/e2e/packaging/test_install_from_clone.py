"""The package installs from a clone into a fresh virtual environment, and its pytest plugins
work in a stranger's test suite (mock_issuer/README.md's "From an empty directory" commands).

No network: the clone is installed with ``--no-deps --no-build-isolation``, and the pinned
dependencies come from this test run's own environment through a ``.pth`` file. The fresh
venv's bundled setuptools (65.5, which needs the separate ``wheel`` package to build wheels) is
removed so that the pinned one (requirements.txt) builds the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

USER_TEST = """
import httpx
from mock_issuer import FaultKind


def test_the_mock_issuer_gives_a_token_and_introspects_it(mock_issuer):
    world = mock_issuer.world
    user, app = world.cc_user, world.api_basic_app
    scope = f"openid urn:zitadel:iam:org:project:id:{world.project.id}:aud"
    token = httpx.post(
        mock_issuer.token_endpoint,
        auth=(user.username, user.client_secret),
        data={"grant_type": "client_credentials", "scope": scope},
    ).json()["access_token"]
    answer = httpx.post(
        mock_issuer.introspection_endpoint,
        auth=(app.client_id, app.client_secret),
        data={"token": token},
    ).json()
    assert answer["active"] is True
    assert answer["sub"] == user.user_id


def test_faults_switch_on_and_off(mock_issuer):
    with mock_issuer.fault(FaultKind.SERVER_ERROR, endpoint="introspect", status=503):
        assert httpx.post(mock_issuer.introspection_endpoint).status_code == 503
"""

CONFTEST_NAMING_THE_PLUGINS = (
    'pytest_plugins = ["harness.pytest_plugin", "mock_issuer.pytest_plugin"]\n'
)


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the test with its output when it fails."""
    quiet_pip = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}  # never online
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **quiet_pip})  # fmt: skip
    assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_a_fresh_venv_installs_the_clone_and_runs_a_users_suite_with_the_fixture(
    tmp_path: Path,
) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout to clone")
    clone, venv, suite = tmp_path / "clone", tmp_path / "v", tmp_path / "suite"
    run("git", "clone", "--quiet", ROOT, clone, cwd=tmp_path)
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python, pip = venv / "bin" / "python", venv / "bin" / "pip"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                    cwd=tmp_path).stdout.strip())  # fmt: skip
    (site / "shared-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(pip, "uninstall", "--quiet", "--yes", "setuptools", cwd=tmp_path)
    run(pip, "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", clone,
        cwd=tmp_path)  # fmt: skip

    version = run(venv / "bin" / "mock-issuer", "--version", cwd=tmp_path).stdout
    assert "0.1.0" in version
    for data_file in ("api_jwt/subject.toml", "harness/report/templates/matrix.html.j2"):
        assert (site / data_file).is_file(), f"{data_file} was not installed"
    suite.mkdir()
    (suite / "test_with_the_mock_issuer.py").write_text(USER_TEST)
    passed = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=suite).stdout
    assert "2 passed" in passed

    # A conftest naming the plugins (as this repository's does) next to the installed entry
    # points: each plugin is registered once, or pytest would stop with "already registered".
    (suite / "conftest.py").write_text(CONFTEST_NAMING_THE_PLUGINS)
    again = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=suite).stdout
    assert "2 passed" in again
    assert str(site) in run(python, "-c", "import harness; print(harness.__file__)",
                            cwd=suite).stdout  # fmt: skip
