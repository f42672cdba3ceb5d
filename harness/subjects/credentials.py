"""The API app's credentials as a subject receives them: values, and files written for it.

A ``client_secret_basic`` subject gets the app's client id and secret (RFC 6749 §2.3.1); a
``private_key_jwt`` subject gets its key (RFC 7523 §2.2) as ZITADEL's JSON key file (``"type":
"application"``), as a PEM file and as a key id. The files go into a directory of the run,
mode 0600, and every secret is registered with the run's redactor first.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from harness.redaction import Redactor
from oauthkit import ApiSettings, ApplicationKey, ClientSecret

KEY_FILE = "api-key-file.json"
PEM_FILE = "api-key.pem"


def credential_values(
    settings: ApiSettings[Any] | None, workdir: Path, redactor: Redactor
) -> dict[str, str]:
    """Placeholder values for the app's credentials (files written under ``workdir``)."""
    if settings is None:
        return {}
    credentials = settings.credentials
    if isinstance(credentials, ClientSecret):
        redactor.add_basic(credentials.client_id, credentials.client_secret)
        return {
            "api_client_id": credentials.client_id,
            "api_client_secret": credentials.client_secret,
        }
    if isinstance(credentials, ApplicationKey):
        return _key_values(credentials, workdir, redactor)
    return {}


def _key_values(key: ApplicationKey, workdir: Path, redactor: Redactor) -> dict[str, str]:
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,  # PKCS#1 for RSA, as ZITADEL writes
        serialization.NoEncryption(),
    ).decode("ascii")
    redactor.add(pem)
    key_file = {
        "type": "application",
        "keyId": key.key_id,
        "key": pem,
        "appId": key.app_id,
        "clientId": key.client_id,
    }
    return {
        "api_client_id": key.client_id,
        "api_key_id": key.key_id,
        "api_key_file": str(write_private(workdir / KEY_FILE, json.dumps(key_file, indent=2))),
        "api_key_pem": str(write_private(workdir / PEM_FILE, pem)),
    }


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` readable by the owner only (0600); return the path."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
    return path
