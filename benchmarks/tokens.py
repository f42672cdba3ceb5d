"""Access tokens for the load, obtained the way a service user does: oauthkit's grant.

The client credentials grant (RFC 6749 §4.4, https://www.rfc-editor.org/rfc/rfc6749#section-4.4)
of the provisioned service user gives a new token per request, each carrying the project's
audience and role, so every token is one the APIs accept. Each scenario gets fresh tokens: an
API process's cache must not already know them from the scenario before.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from oauthkit import ClientCredentialsGrant, EnvSource, load_client_credentials_settings

GRANT_TIMEOUT_S = 10.0


def fresh_tokens(env_file: Path, count: int) -> list[str]:
    """`count` new access tokens of the service user configured in `env_file`."""
    settings = load_client_credentials_settings(EnvSource.load(env_file, {}, required=True))
    with httpx.Client(timeout=GRANT_TIMEOUT_S) as http:
        grant = ClientCredentialsGrant(settings, http)
        return [grant.fetch(time.time()).access_token for _ in range(count)]
