"""Before a live run: `.env.example`'s values and an issuer that does not answer are named, in
that order, once; a filled-in `.env` with an issuer that answers discovery goes ahead."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from dotenv import dotenv_values

import harness
from harness.targets.live_preflight import EXAMPLE_HOST, EXAMPLE_VALUES, ready_to_run
from oauthkit import ConfigError

EXAMPLE = Path(harness.__file__).resolve().parent.parent / ".env.example"
ISSUER = "https://issuer.example.test"


def _discovery(status: int = 200) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == f"{ISSUER}/.well-known/openid-configuration"
        return httpx.Response(status, json={"issuer": ISSUER, "token_endpoint": f"{ISSUER}/t"})

    return httpx.MockTransport(answer)


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request was to be sent, got {request.url}")


def _env(tmp_path: Path, **values: str) -> Path:
    path = tmp_path / ".env"
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()), encoding="utf-8")
    return path


def _problem(env_file: Path, transport: httpx.BaseTransport) -> str:
    with pytest.raises(ConfigError) as caught:
        ready_to_run(env_file, environ={}, transport=transport)
    return str(caught.value)


def test_the_placeholders_known_here_are_env_examples_own() -> None:
    example = dotenv_values(EXAMPLE)
    assert example["ZITADEL_DOMAIN"] == f"https://{EXAMPLE_HOST}"
    assert {name: example[name] for name in EXAMPLE_VALUES} == EXAMPLE_VALUES


def test_env_example_as_is_names_the_example_issuer_first_then_every_placeholder(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(EXAMPLE.read_bytes())
    lines = _problem(env_file, httpx.MockTransport(_never)).splitlines()
    assert lines[0] == "the run could not start:"
    assert lines[1] == (
        f"  the issuer https://{EXAMPLE_HOST} cannot be reached: ZITADEL_DOMAIN in {env_file} "
        "still holds .env.example's example instance, which does not exist"
    )
    assert lines[2] == (
        f"  {env_file} still holds .env.example's values: "
        + ", ".join(f"{name}={value}" for name, value in EXAMPLE_VALUES.items())
    )
    assert lines[3].startswith("  Set each to your instance's value") and len(lines) == 4


@pytest.mark.parametrize(
    "domain", [EXAMPLE_HOST, f"https://{EXAMPLE_HOST}/", f"http://{EXAMPLE_HOST}"]
)
def test_the_example_instance_is_recognised_however_written_and_never_contacted(
    tmp_path: Path, domain: str
) -> None:
    problem = _problem(_env(tmp_path, ZITADEL_DOMAIN=domain), httpx.MockTransport(_never))
    assert "example instance, which does not exist" in problem


def test_an_issuer_that_refuses_the_connection_cannot_be_reached(tmp_path: Path) -> None:
    env_file = _env(tmp_path, ZITADEL_DOMAIN=ISSUER)
    assert _problem(env_file, httpx.MockTransport(_refused)) == (
        "the run could not start:\n"
        f"  the issuer {ISSUER} (ZITADEL_DOMAIN in {env_file}) cannot be reached: discovery at "
        f"{ISSUER}/.well-known/openid-configuration failed: ConnectError (is the issuer running "
        "and the URL right?)"
    )


def test_an_issuer_without_a_discovery_document_cannot_be_used(tmp_path: Path) -> None:
    problem = _problem(_env(tmp_path, ZITADEL_DOMAIN=ISSUER), _discovery(404))
    assert "cannot be used: discovery at " in problem and "answered 404" in problem


def test_a_filled_in_env_whose_issuer_answers_goes_ahead(tmp_path: Path) -> None:
    env_file = _env(tmp_path, ZITADEL_DOMAIN=ISSUER, CLIENT_SECRET="s3cr3t-value")
    ready_to_run(env_file, environ={}, transport=_discovery())


def test_one_placeholder_left_is_named_without_any_real_value(tmp_path: Path) -> None:
    env_file = _env(tmp_path, ZITADEL_DOMAIN=ISSUER, CLIENT_SECRET="change-me",
                    API_CLIENT_SECRET="real-secret-1234")  # fmt: skip
    problem = _problem(env_file, _discovery())
    assert f"{env_file} still holds .env.example's values: CLIENT_SECRET=change-me\n" in problem
    assert "real-secret-1234" not in problem


def test_no_issuer_at_all_is_left_to_the_checks_not_configured(tmp_path: Path) -> None:
    ready_to_run(
        _env(tmp_path, PROJECT_ID="4242"), environ={}, transport=httpx.MockTransport(_never)
    )


def test_the_process_environment_overrides_the_file_as_for_the_run(tmp_path: Path) -> None:
    env_file = _env(tmp_path, ZITADEL_DOMAIN=EXAMPLE_HOST)
    ready_to_run(env_file, environ={"ZITADEL_DOMAIN": ISSUER}, transport=_discovery())
