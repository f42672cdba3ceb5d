"""Copy-as-curl lines: every request reproducible, no secret in it, only placeholders."""

from __future__ import annotations

import shlex
import subprocess

from harness.model.results import Exchange
from harness.report.curl import curl_line


def test_a_redacted_bearer_token_becomes_the_token_variable() -> None:
    line = curl_line(Exchange("GET", "http://127.0.0.1:1/api/private",
                              {"Authorization": "Bearer [REDACTED:0badf00d]"}))  # fmt: skip
    assert (
        line == 'curl -i -X GET http://127.0.0.1:1/api/private -H "Authorization: Bearer ${TOKEN}"'
    )
    assert "0badf00d" not in line


def test_a_made_up_token_of_a_check_stays_literal_and_quoted() -> None:
    line = curl_line(Exchange("GET", "http://h/api", {"Authorization": "Bearer not{b64token}"}))
    assert shlex.split(line)[-1] == "Authorization: Bearer not{b64token}"


def test_basic_credentials_become_the_variables_the_mock_env_names_them_by() -> None:
    exchange = Exchange(
        "POST", "http://issuer/oauth/v2/introspect",
        {"authorization": "Basic [REDACTED:12345678]",
         "content-type": "application/x-www-form-urlencoded"},
        request_body="token=[REDACTED:abcdef12]&token_type_hint=access_token",
    )  # fmt: skip
    line = curl_line(exchange)
    assert '-u "$API_CLIENT_ID:$API_CLIENT_SECRET"' in line  # an API's, as the .env names it
    token = Exchange("POST", "http://issuer/oauth/v2/token", exchange.request_headers)
    assert '-u "$CLIENT_ID:$CLIENT_SECRET"' in curl_line(token)  # a service user's
    assert '--data-urlencode "token=${TOKEN}"' in line
    assert "--data-urlencode token_type_hint=access_token" in line
    assert "REDACTED" not in line


def _words_in_a_shell(line: str, **variables: str) -> list[str]:
    """The words bash passes to ``curl`` (a function here that prints them), NUL-separated."""
    script = "curl() { printf '%s\\0' \"$@\"; }; " + line
    done = subprocess.run(["bash", "-c", script], env=variables, capture_output=True, check=True)
    return done.stdout.decode().split("\0")[:-1]


def test_shell_metacharacters_around_a_placeholder_are_escaped() -> None:
    exchange = Exchange("POST", "http://h/x", {"content-type": "application/json"},
                        request_body='{"a": "$HOME `id`", "t": "[REDACTED:aaaabbbb]"}')  # fmt: skip
    words = _words_in_a_shell(curl_line(exchange), SECRET="s3")
    assert words[-1] == '{"a": "$HOME `id`", "t": "s3"}'
