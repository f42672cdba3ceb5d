"""Pure checks of an introspection response: is the token good for this API, with which roles.

RFC 7662 §2.2 (https://www.rfc-editor.org/rfc/rfc7662#section-2.2): `active` is the only
required member and only `true` means active; everything else about an inactive token is
meaningless, so it is checked first (the public examples read `exp` first and crash). Then
`exp`/`nbf` (RFC 7519 §4.1.4-5) with a small leeway against the caller's clock, the audience
(RFC 7519 §4.1.3; the resource server SHOULD check it, RFC 7662 §4), and finally the roles a
route needs (RFC 6750 §3.1 `insufficient_scope`). ZITADEL puts roles in
`urn:zitadel:iam:org:project:roles` (an object keyed by role); other issuers put them in
`scope`, so plain scope words count as roles too (ZITADEL drops scopes it does not know, so a
client cannot ask for a role that way). ZITADEL also names the project,
`urn:zitadel:iam:org:project:{projectId}:roles`: with the API's project id known
(PROJECT_ID), that claim wins; the generic one counts only when no other project's claim is
there either, since then it may be that other project's (zitadel-spec.md §4.4: a role granted
in another project must not pass). ZITADEL's role scopes `urn:zitadel:iam:org:project:role:
<key>` do NOT count: PAT introspection adds one for every role of the project, held or not
(zitadel-spec.md §6), and a service user may request any of them (§2.2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from oauthkit.errors import InsufficientScope, InvalidToken

ZITADEL_ROLES_CLAIM = "urn:zitadel:iam:org:project:roles"
_PROJECT_ROLES_CLAIM = re.compile(r"urn:zitadel:iam:org:project:[^:]+:roles")
# RFC 7662 §2.2 `token_type` names an access token's type (RFC 6749 §7.1, RFC 8693 §3).
ACCESS_TOKEN_TYPES = frozenset(
    {"bearer", "access_token", "urn:ietf:params:oauth:token-type:access_token", "jwt"}
)


@dataclass(frozen=True)
class TokenPolicy:
    """What this API accepts: audiences (empty = no check), roles claims, leeway, issuer."""

    audiences: tuple[str, ...] = ()
    roles_claim: str = ZITADEL_ROLES_CLAIM
    leeway: float = 30.0
    issuer: str = ""  # when set, an `iss` in the answer must equal it
    project_roles_claim: str | None = None  # `urn:zitadel:iam:org:project:{id}:roles`, if known


@dataclass(frozen=True)
class Principal:
    """Who the token speaks for, from an active introspection response (RFC 7662 names)."""

    sub: str | None
    client_id: str | None
    username: str | None
    scope: tuple[str, ...]
    aud: tuple[str, ...]
    exp: float | None
    roles: frozenset[str]


def validate(response: Mapping[str, object], policy: TokenPolicy, now: float) -> Principal:
    """Check an introspection response against `policy` at time `now`; `InvalidToken` if not."""
    if response.get("active") is not True:
        raise InvalidToken("introspection says the token is not active")
    exp = _time(response, "exp")
    if exp is not None and now > exp + policy.leeway:
        raise InvalidToken(f"token expired at {exp:.0f}", description="The access token expired.")
    nbf = _time(response, "nbf")
    if nbf is not None and now + policy.leeway < nbf:
        raise InvalidToken(
            f"token not valid before {nbf:.0f}", description="The access token is not valid yet."
        )
    _check_issuer_and_type(response, policy)
    aud = _audiences(response.get("aud"))
    if policy.audiences and not set(aud) & set(policy.audiences):
        raise InvalidToken(
            f"audience {list(aud)} contains none of {list(policy.audiences)}",
            description="The access token was not issued for this API.",
        )
    scope = _strings(response.get("scope"))
    return Principal(
        sub=_text(response, "sub"),
        client_id=_text(response, "client_id"),
        username=_text(response, "username"),
        scope=scope,
        aud=aud,
        exp=exp,
        roles=claimed_roles(response, policy) | frozenset(scope),
    )


def claimed_roles(response: Mapping[str, object], policy: TokenPolicy) -> frozenset[str]:
    """The roles the claims give this API's project: its own claim, else the generic one
    unless another project's claim is present (the generic one may be that project's)."""
    own, generic = policy.project_roles_claim, response.get(policy.roles_claim)
    if own is None:  # no project id configured: no claim can be told for another project
        return roles_of(generic)
    if own in response:
        return roles_of(response[own])
    if any(_PROJECT_ROLES_CLAIM.fullmatch(name) for name in response):
        return frozenset()
    return roles_of(generic)


def require_roles(principal: Principal, roles: Sequence[str]) -> None:
    """Raise `InsufficientScope` naming the roles the principal lacks among `roles`."""
    missing = tuple(role for role in roles if role not in principal.roles)
    if missing:
        raise InsufficientScope(tuple(roles), f"token lacks role(s) {' '.join(missing)}")


def roles_of(claim: object) -> frozenset[str]:
    """Roles from a claim: an object keyed by role (ZITADEL), a list, or a space-separated text."""
    if isinstance(claim, Mapping):
        return frozenset(key for key in claim if isinstance(key, str))
    return frozenset(_strings(claim))


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list | tuple):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def _audiences(value: object) -> tuple[str, ...]:
    # RFC 7519 §4.1.3: a string is ONE audience; "a b" is neither a nor b.
    return (value,) if isinstance(value, str) else _strings(value)


def _check_issuer_and_type(response: Mapping[str, object], policy: TokenPolicy) -> None:
    iss = response.get("iss")
    if policy.issuer and iss is not None and iss != policy.issuer:
        raise InvalidToken(
            f"token issued by {str(iss)[:80]!r}, not by {policy.issuer!r}",
            description="The access token was not issued by this API's issuer.",
        )
    token_type = response.get("token_type")
    if token_type is not None and str(token_type).lower() not in ACCESS_TOKEN_TYPES:
        raise InvalidToken(
            f"token_type {str(token_type)[:40]!r} is not an access token type",
            description="The token is not an access token.",
        )


def _text(response: Mapping[str, object], name: str) -> str | None:
    value = response.get(name)
    return value if isinstance(value, str) else None


def _time(response: Mapping[str, object], name: str) -> float | None:
    value = response.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(f"introspection member {name!r} is not a number")
    return float(value)
