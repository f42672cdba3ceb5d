"""Placeholders in a subject's command and environment, and the values the harness fills in.

A subject file names its own settings and fills them from placeholders such as ``{issuer}`` or
``{api_client_secret}`` (the API app's RFC 6749 §2.3.1 credentials) or ``{api_key_file}`` (its
RFC 7523 §2.2 key, as ZITADEL's JSON key file). ``{{`` and ``}}`` stand for literal braces.
Which credentials exist depends on the mechanism: a ``client_secret_basic`` API has a secret and
no key, a ``private_key_jwt`` API a key and no secret, a ``local_jwt`` API neither.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from harness.model.matrix import Mechanism

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")

PLACEHOLDERS: dict[str, str] = {
    "port": "a free loopback port the harness picked for the subject",
    "issuer": "the issuer URL, scheme included (http://127.0.0.1:PORT for the mock)",
    "issuer_hostport": "the issuer's host:port only (for SDKs that take a domain and a port)",
    "introspection_endpoint": "the issuer's RFC 7662 introspection endpoint URL",
    "token_endpoint": "the issuer's token endpoint URL",
    "jwks_uri": "the issuer's JWKS URL (RFC 7517), for local JWT validation",
    "project_id": "the ZITADEL project the tokens are for",
    "audience": "the audience tokens carry for this API (the project id)",
    "api_client_id": "the API app's client id (not for local_jwt)",
    "api_client_secret": "the API app's client secret (client_secret_basic only)",
    "api_key_file": "path of the API app's ZITADEL JSON key file, type application "
    "(private_key_jwt only; mode 0600, removed after the run)",
    "api_key_pem": "path of the same private key as a PEM file (private_key_jwt only)",
    "api_key_id": "the id (kid) of the API app's key (private_key_jwt only)",
    "role": "the role the scoped route requires (routes.role)",
    "python": "the Python interpreter running the harness (sys.executable)",
    "env_file": "a .env with the variables of ZITADEL's examples for this issuer (the mock's, "
    "or the one given with --env-file); for APIs that read such a file",
    "cache_ttl": "the file's cache_ttl in seconds, for the API's own setting of it",
    "cache_ttl_ms": "the same in milliseconds",
    "jwks_cooldown": "the file's jwks_cooldown in seconds, for the API's own setting of it",
    "jwks_cooldown_ms": "the same in milliseconds",
}
# Placeholders filled from a key of the file itself, which must then be stated.
STATED_BY: dict[str, str] = {
    "cache_ttl": "cache_ttl",
    "cache_ttl_ms": "cache_ttl",
    "jwks_cooldown": "jwks_cooldown",
    "jwks_cooldown_ms": "jwks_cooldown",
}
_SECRET = frozenset({"api_client_secret"})
_KEY = frozenset({"api_key_file", "api_key_pem", "api_key_id"})
_NOT_FOR: dict[str, tuple[frozenset[str], str]] = {
    "private_key_jwt": (_SECRET, "authenticates to the issuer with a key, not a secret"),
    "client_secret_basic": (_KEY, "authenticates to the issuer with a secret, not a key"),
    "local_jwt": (
        _SECRET | _KEY | {"api_client_id"},
        "validates tokens itself and has no API app (use {audience} or {project_id})",
    ),
}


class PlaceholderError(ValueError):
    """A template that names an unknown or unavailable placeholder, or has a stray brace."""


def names_in(template: str) -> list[str]:
    """The placeholder names a template uses; `PlaceholderError` on a stray brace."""
    if "{" in _FIELD.sub("", template) or "}" in _FIELD.sub("", template):
        raise PlaceholderError("has an unmatched brace (write {{ or }} for a literal one)")
    return [m.group(1) for m in _FIELD.finditer(template) if m.group(1) is not None]


def check_templates(
    templates: Iterable[tuple[str, str]], mechanism: Mechanism, stated: frozenset[str] = frozenset()
) -> str:
    """The first problem with the templates for a subject of ``mechanism``, or ''.

    ``stated``: the file's keys that placeholders may be filled from (`STATED_BY`).
    """
    unavailable, why = _NOT_FOR.get(str(mechanism), (frozenset(), ""))
    for key, template in templates:
        try:
            names = names_in(template)
        except PlaceholderError as exc:
            return f"{key} {exc}"
        for name in names:
            if name not in PLACEHOLDERS:
                allowed = ", ".join("{" + n + "}" for n in PLACEHOLDERS)
                return f"{key} uses the unknown placeholder {{{name}}}; allowed: {allowed}"
            if name in unavailable:
                return f"{key} uses {{{name}}}, but a {mechanism} subject {why}"
            if STATED_BY.get(name, "") not in {"", *stated}:
                return f"{key} uses {{{name}}}, but the file states no {STATED_BY[name]}"
    return ""


def harness_values() -> dict[str, str]:
    """The placeholders the harness itself fills, the same for every instance and target."""
    return {"python": sys.executable}


def wait_values(cache_ttl: float | None, jwks_cooldown: float | None) -> dict[str, str]:
    """The placeholders filled from the file's stated waits (those stated)."""
    values: dict[str, str] = {}
    for name, seconds in (("cache_ttl", cache_ttl), ("jwks_cooldown", jwks_cooldown)):
        if seconds is not None:
            values[name] = f"{seconds:g}"
            values[f"{name}_ms"] = str(round(seconds * 1000))
    return values


def expand(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each placeholder replaced (names were checked at load time)."""

    def value(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)[0]
        return values[match.group(1)]

    return _FIELD.sub(value, template)


@dataclass(frozen=True)
class IssuerValues:
    """The issuer side of the placeholders: URLs and the project."""

    issuer: str
    introspection_endpoint: str
    token_endpoint: str
    jwks_uri: str
    project_id: str

    def values(self) -> dict[str, str]:
        """As placeholder values."""
        hostport = self.issuer.split("://", 1)[-1].split("/", 1)[0]
        return {
            "issuer": self.issuer,
            "issuer_hostport": hostport,
            "introspection_endpoint": self.introspection_endpoint,
            "token_endpoint": self.token_endpoint,
            "jwks_uri": self.jwks_uri,
            "project_id": self.project_id,
            "audience": self.project_id,
        }
