"""The matrix: grant by introspection client authentication, numbered as in ZITADEL's examples.

Six cells, in the order of the table in `zitadel/examples-api-access-and-token-introspection`
(JWT profile, client credentials, PAT; each introspected with private_key_jwt or
client_secret_basic). The grants are RFC 7523 §2.1 (JWT bearer), RFC 6749 §4.4 (client
credentials) and a personal access token; the client authentication methods are RFC 7523 §2.2
(private_key_jwt) and RFC 6749 §2.3.1 (client_secret_basic) at the RFC 7662 §2.1 endpoint.

A cell may run as several *variants*, one per access-token format: in mock mode the
JWT-profile and client-credentials cells run with opaque and JWT access tokens (RFC 9068), so
the report still shows each cell exactly once, with its variants inside.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Mode(enum.StrEnum):
    """Where the issuer comes from: the embedded mock or the user's live instance."""

    MOCK = "mock"
    LIVE = "live"


class Grant(enum.StrEnum):
    """How the service user obtains its access token."""

    JWT_PROFILE = "jwt_profile"
    CLIENT_CREDENTIALS = "client_credentials"
    PAT = "pat"

    @property
    def label(self) -> str:
        """The grant's name as ZITADEL's examples table writes it."""
        return _GRANT_TITLES[self]

    @property
    def short(self) -> str:
        """A short slug for test ids."""
        return _GRANT_SHORT[self]


class Mechanism(enum.StrEnum):
    """How the API checks a token: introspection with one of two client authentications."""

    PRIVATE_KEY_JWT = "private_key_jwt"
    CLIENT_SECRET_BASIC = "client_secret_basic"

    @property
    def label(self) -> str:
        """The method's name as ZITADEL's examples table writes it."""
        return _AUTH_TITLES[self]

    @property
    def short(self) -> str:
        """A short slug for test ids."""
        return _AUTH_SHORT[self]

    @property
    def sample(self) -> str:
        """The sample API that introspects this way."""
        return _AUTH_SAMPLE[self]


class TokenFormat(enum.StrEnum):
    """The access token's format: opaque (ZITADEL's default) or a JWT (RFC 9068)."""

    OPAQUE = "opaque"
    JWT = "jwt"


TIMES = "\u00d7"  # the multiplication sign of the examples' table
_GRANT_TITLES = {
    Grant.JWT_PROFILE: "JWT profile",
    Grant.CLIENT_CREDENTIALS: "Client credentials",
    Grant.PAT: "Personal access token",
}
_GRANT_SHORT = {Grant.JWT_PROFILE: "jwtp", Grant.CLIENT_CREDENTIALS: "cc", Grant.PAT: "pat"}
_AUTH_TITLES = {
    Mechanism.PRIVATE_KEY_JWT: "JWT profile",
    Mechanism.CLIENT_SECRET_BASIC: "Basic authentication",
}
_AUTH_SHORT = {
    Mechanism.PRIVATE_KEY_JWT: "pkjwt",
    Mechanism.CLIENT_SECRET_BASIC: "basic",
}
_AUTH_SAMPLE = {
    Mechanism.PRIVATE_KEY_JWT: "api_jwt",
    Mechanism.CLIENT_SECRET_BASIC: "api_basic_auth",
}


@dataclass(frozen=True)
class Cell:
    """One combination of grant and introspection authentication, numbered 1 to 6."""

    number: int
    grant: Grant
    mechanism: Mechanism

    @property
    def name(self) -> str:
        """The cell's name, e.g. ``Client credentials \u00d7 JWT profile`` (a times sign)."""
        return f"{self.grant.label} {TIMES} {self.mechanism.label}"

    @property
    def slug(self) -> str:
        """A stable id, e.g. ``cell3-cc-pkjwt``."""
        return f"cell{self.number}-{self.grant.short}-{self.mechanism.short}"


@dataclass(frozen=True)
class Variant:
    """A cell run with one access-token format."""

    cell: Cell
    token_format: TokenFormat

    @property
    def slug(self) -> str:
        """A stable id, e.g. ``cell3-cc-pkjwt-opaque``."""
        return f"{self.cell.slug}-{self.token_format}"


def cells() -> tuple[Cell, ...]:
    """The six cells in the order of ZITADEL's examples table."""
    grants = (Grant.JWT_PROFILE, Grant.CLIENT_CREDENTIALS, Grant.PAT)
    auths = (Mechanism.PRIVATE_KEY_JWT, Mechanism.CLIENT_SECRET_BASIC)
    pairs = [(grant, auth) for grant in grants for auth in auths]
    return tuple(Cell(number, grant, auth) for number, (grant, auth) in enumerate(pairs, 1))


def cell_by_number(number: int) -> Cell:
    """The cell numbered ``number`` (1 to 6)."""
    for cell in cells():
        if cell.number == number:
            return cell
    raise ValueError(f"There is no cell {number}: cells are numbered 1 to 6.")


def variants(
    cell: Cell, mode: Mode, live_format: TokenFormat = TokenFormat.OPAQUE
) -> tuple[Variant, ...]:
    """The variants a cell runs as.

    A PAT is always opaque. In mock mode the other grants run with both formats, because the
    mock can provision a service user of either kind; a live instance issues whatever its
    service users are set to, which the user states as ``live_format``.
    """
    if cell.grant is Grant.PAT:
        return (Variant(cell, TokenFormat.OPAQUE),)
    if mode is Mode.MOCK:
        return (Variant(cell, TokenFormat.OPAQUE), Variant(cell, TokenFormat.JWT))
    return (Variant(cell, live_format),)
