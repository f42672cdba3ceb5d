"""The command line the three service-user clients share: get a token, print it or call an API.

    python -m service_user_jwt [--env-file PATH] [--call URL] [--json]

Secrets come from the environment and the `.env` file only, never from the command line. A
refused grant shows the issuer's RFC 6749 §5.2 (https://www.rfc-editor.org/rfc/rfc6749#section-5.2)
`error` and `error_description` with a hint; an API refusing the token (RFC 6750 §3.1) gets a
hint when the usual cause is a missing ZITADEL audience scope. Exit status: 0 when the token
was obtained (and the API, if called, answered 2xx/3xx); 1 for a refusal or an unreachable
server; 2 for a configuration error or a bad option; 141 when stdout was closed (`| head`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, TextIO

import httpx

from oauthkit.client_settings import (
    ClientSettings,
    load_client_credentials_settings,
    load_jwt_client_settings,
    load_pat_settings,
)
from oauthkit.clock import Clock, system_clock
from oauthkit.commands.conventions import (
    CLOSED_STDOUT,
    EXIT_BROKEN_PIPE,
    add_version,
    env_file_argument,
    epilog,
    exit_quietly_on_closed_stdout,
    load_env,
)
from oauthkit.env import EnvSource
from oauthkit.errors import ConfigError, GrantError, IssuerError
from oauthkit.grants import BearerAuth, GrantKind, TokenSource
from oauthkit.transport import timeout

AUD_SCOPE_HINT = (
    "the API refused the token, and no urn:zitadel:iam:org:project:id:<PROJECT_ID>:aud scope "
    "was requested: ZITADEL then gives the token no audience, so introspection calls it "
    "inactive; set PROJECT_ID (or add the scope to TOKEN_SCOPES)"
)


EXIT_CODES = {
    0: "the token was obtained (and the API, with --call, answered 2xx or 3xx)",
    1: "the issuer or the API refused, or could not be reached",
    2: "a configuration error or a bad option",
    EXIT_BROKEN_PIPE: CLOSED_STDOUT,
}
SettingsLoader = Callable[[EnvSource], ClientSettings[Any]]
SETTINGS: dict[str, tuple[SettingsLoader, str]] = {
    "jwt_profile": (
        load_jwt_client_settings,
        "ZITADEL_DOMAIN, CLIENT_PRIVATE_KEY_FILE_PATH (a key file, type serviceaccount)",
    ),
    "client_credentials": (
        load_client_credentials_settings,
        "ZITADEL_DOMAIN, CLIENT_ID, CLIENT_SECRET",
    ),
    "pat": (load_pat_settings, "PERSONAL_ACCESS_TOKEN"),
}
"""Per grant (`GrantKind.name`): the loader of its settings, and the variables it requires."""
OPTIONAL_VARIABLES = """optional: PROJECT_ID (asks for ZITADEL's audience scope), TOKEN_SCOPES
    and the others in .env.example
  read from the process environment first, then the .env file; never from the command line"""


def client_parser(prog: str, kind: GrantKind) -> argparse.ArgumentParser:
    """The argument parser of a service-user client."""
    required = f"required: {SETTINGS[kind.name][1]}"
    parser = argparse.ArgumentParser(
        prog=f"python -m {prog}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=f"Get an access token with the {kind.name} grant and print it, or call "
        "an API with it.\nSecrets are read from the environment and the .env file only.",
        epilog=epilog(EXIT_CODES, f"{required}\n  {OPTIONAL_VARIABLES}"),
    )
    add_version(parser)
    env_file_argument(parser)
    parser.add_argument("--call", metavar="URL", help="call URL with the token; print status, body")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    return parser


def run_client(
    prog: str,
    kind: GrantKind,
    argv: Sequence[str],
    environ: Mapping[str, str],
    *,
    transport: httpx.BaseTransport | None = None,
    clock: Clock = system_clock,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run a client's command line; returns the exit status (stdout/stderr: the sys ones)."""
    args = client_parser(prog, kind).parse_args(argv)
    return exit_quietly_on_closed_stdout(
        lambda: _run(prog, kind, args, environ, transport, clock, stdout, stderr)
    )


def _run(
    prog: str,
    kind: GrantKind,
    args: argparse.Namespace,
    environ: Mapping[str, str],
    transport: httpx.BaseTransport | None,
    clock: Clock,
    stdout: TextIO | None,
    stderr: TextIO | None,
) -> int:
    out = _Output(prog, args.json, stdout or sys.stdout, stderr or sys.stderr)
    try:
        load = SETTINGS[kind.name][0]
        settings = load(load_env(args.env_file, environ))
        for warning in settings.warnings:
            out.warn(warning)
        with httpx.Client(transport=transport, timeout=timeout(settings.timeout)) as http:
            source = TokenSource(kind(settings, http), clock)
            token = source.token()
            if args.call is None:
                return out.token(asdict(token))
            return _call(http, args.call, source, settings, out)
    except ConfigError as exc:
        return out.fail(2, "configuration_error", str(exc), None)
    except GrantError as exc:
        return out.fail(1, exc.error, exc.error_description, exc.hint, status=exc.status)
    except IssuerError as exc:
        return out.fail(1, "issuer_unavailable", str(exc), None)


def _call(
    http: httpx.Client, url: str, source: TokenSource, settings: ClientSettings[Any], out: _Output
) -> int:
    try:
        response = http.get(url, auth=BearerAuth(source))
    except httpx.HTTPError as exc:
        return out.fail(1, "api_unreachable", f"calling {url} failed: {type(exc).__name__}", None)
    if response.status_code == 401 and _lacks_audience_scope(settings.scopes):
        out.warn(AUD_SCOPE_HINT)
    return out.call(url, response)


def _lacks_audience_scope(scopes: Sequence[str]) -> bool:
    return bool(scopes) and not any(s.endswith(":aud") for s in scopes)


class _Output:
    """Writes results as text or JSON, and errors to stderr (and to stdout as JSON)."""

    def __init__(self, prog: str, as_json: bool, stdout: TextIO, stderr: TextIO) -> None:
        self.prog, self.as_json, self.stdout, self.stderr = prog, as_json, stdout, stderr

    def warn(self, message: str) -> None:
        print(f"{self.prog}: warning: {message}", file=self.stderr)

    def token(self, fields: dict[str, Any]) -> int:
        fields.pop("obtained_at", None)
        print(json.dumps(fields) if self.as_json else fields["access_token"], file=self.stdout)
        return 0

    def call(self, url: str, response: httpx.Response) -> int:
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        if self.as_json:
            result = {"url": url, "status": response.status_code, "body": body}
            print(json.dumps(result), file=self.stdout)
        else:
            print(f"HTTP {response.status_code}", file=self.stdout)
            print(body if isinstance(body, str) else json.dumps(body), file=self.stdout)
        return 0 if response.status_code < 400 else 1

    def fail(
        self,
        code: int,
        error: str,
        description: str | None,
        hint: str | None,
        status: int | None = None,
    ) -> int:
        lines = [f"{self.prog}: {error}" + (f" ({status})" if status else "")]
        lines += [f"  {description}"] if description else []
        lines += [f"  hint: {hint}"] if hint else []
        print("\n".join(lines), file=self.stderr)
        if self.as_json:
            report = {"error": error, "error_description": description, "hint": hint}
            print(json.dumps(report | {"status": status}), file=self.stdout)
        return code
