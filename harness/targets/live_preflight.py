"""Before a live run: can it start at all? Its issuer must answer, its ``.env`` be filled in.

A ``.env`` that still holds ``.env.example``'s values (the example instance
``my-instance.zitadel.cloud``, the example ids, ``change-me``), or an issuer whose discovery
document (OpenID Connect Discovery 1.0 §4, RFC 8414 §3) cannot be read, would make every check
fail the same way. Such a run could not start: `ready_to_run` raises one `ConfigError` that
names that cause first, once, and what to do. The example instance is never contacted.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from harness.targets.issuer_http import tls_context
from oauthkit import (
    ConfigError,
    EnvSource,
    FetchLimits,
    IssuerError,
    IssuerUnreachable,
    fetch_metadata,
)

# .env.example's values that no real instance has (tests/unit hold them equal to the file).
EXAMPLE_HOST = "my-instance.zitadel.cloud"
EXAMPLE_VALUES = {
    "PROJECT_ID": "123456789012345678",
    "API_CLIENT_ID": "123456789012345679",
    "API_CLIENT_SECRET": "change-me",
    "CLIENT_SECRET": "change-me",
    "PERSONAL_ACCESS_TOKEN": "change-me",
}
DISCOVERY_DEADLINE_S = 10.0
WHAT_TO_DO = (
    'Set each to your instance\'s value (docs/harness.md, "The .env for a live instance"), or '
    "remove its line: a variable that is not set leaves only its own checks not configured"
)


def ready_to_run(
    env_file: Path,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> None:
    """`ConfigError` when the live run described by ``env_file`` cannot start: its issuer
    does not answer, or the file still holds ``.env.example``'s values (both named)."""
    env = EnvSource.load(env_file, os.environ if environ is None else environ, required=True)
    issuer = (env.get("ZITADEL_DOMAIN") or "").strip().rstrip("/")
    causes = []
    if issuer and urlsplit(issuer if "//" in issuer else f"//{issuer}").hostname == EXAMPLE_HOST:
        causes.append(
            f"the issuer {issuer} cannot be reached: ZITADEL_DOMAIN in {env_file} still holds "
            ".env.example's example instance, which does not exist"
        )
    elif issuer:
        causes += _unreachable(issuer, env_file, transport)
    left = [f"{n}={v}" for n, v in EXAMPLE_VALUES.items() if (env.get(n) or "").strip() == v]
    if left:
        causes.append(f"{env_file} still holds .env.example's values: {', '.join(left)}")
    if causes:
        steps = [*causes, WHAT_TO_DO] if left else causes
        raise ConfigError("the run could not start:" + "".join(f"\n  {step}" for step in steps))


def _unreachable(issuer: str, env_file: Path, transport: httpx.BaseTransport | None) -> list[str]:
    """The reason the issuer's discovery document cannot be read, or nothing when it can."""
    where = f"the issuer {issuer} (ZITADEL_DOMAIN in {env_file})"
    chosen = transport or httpx.HTTPTransport(verify=tls_context())
    try:
        with httpx.Client(transport=chosen, timeout=DISCOVERY_DEADLINE_S) as http:
            fetch_metadata(http, issuer, FetchLimits(deadline_s=DISCOVERY_DEADLINE_S))
    except IssuerUnreachable as exc:
        return [f"{where} cannot be reached: {exc}"]
    except IssuerError as exc:  # it answered, but not with a usable discovery document
        return [f"{where} cannot be used: {exc}"]
    except (httpx.HTTPError, ValueError) as exc:  # not a URL httpx can send to
        return [f"{where} is not a URL the harness can reach ({exc})"]
    return []
