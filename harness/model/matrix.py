"""The matrix: grant by how the API checks tokens, numbered as in ZITADEL's examples, then on.

Cells 1 to 6 in the order of the table in `zitadel/examples-api-access-and-token-introspection`
(JWT profile, client credentials, PAT; each introspected with private_key_jwt or
client_secret_basic); cells 7 to 9 the same grants with the API validating JWT access tokens
locally (RFC 9068 §4) against the issuer's keys. The grants are RFC 7523 §2.1 (JWT bearer),
RFC 6749 §4.4 (client credentials) and a personal access token; the client authentication
methods are RFC 7523 §2.2 (private_key_jwt) and RFC 6749 §2.3.1 (client_secret_basic) at the
RFC 7662 §2.1 endpoint. Cell 9 (PAT x local JWT) is not applicable: a PAT is opaque.

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
    """How the API checks a token: introspection with one of two client authentications, or
    local validation of JWT access tokens."""

    PRIVATE_KEY_JWT = "private_key_jwt"
    CLIENT_SECRET_BASIC = "client_secret_basic"
    LOCAL_JWT = "local_jwt"

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
        """The sample API that checks tokens this way."""
        return _AUTH_SAMPLE[self]

    @property
    def introspects(self) -> bool:
        """Whether the API asks the issuer's introspection endpoint about each token."""
        return self is not Mechanism.LOCAL_JWT

    @property
    def how(self) -> str:
        """What the API does with a token, as a sentence part (for the report)."""
        if self.introspects:
            return f"introspects with {self.value}"
        return "validates JWT access tokens locally with the issuer's keys (local_jwt)"


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
    Mechanism.LOCAL_JWT: "Local JWT validation",
}
_AUTH_SHORT = {
    Mechanism.PRIVATE_KEY_JWT: "pkjwt",
    Mechanism.CLIENT_SECRET_BASIC: "basic",
    Mechanism.LOCAL_JWT: "ljwt",
}
_AUTH_SAMPLE = {
    Mechanism.PRIVATE_KEY_JWT: "api_jwt",
    Mechanism.CLIENT_SECRET_BASIC: "api_basic_auth",
    Mechanism.LOCAL_JWT: "api_local_jwt",
}
PAT_IS_OPAQUE = (
    "a PAT is opaque: an API that validates JWT access tokens locally cannot check it "
    "(cell 9 is not applicable)"
)


@dataclass(frozen=True)
class Cell:
    """One combination of grant and token-checking mechanism, numbered 1 to 9."""

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

    @property
    def not_applicable_because(self) -> str | None:
        """Why no check applies to this cell at all (PAT x local JWT), or None."""
        if self.grant is Grant.PAT and self.mechanism is Mechanism.LOCAL_JWT:
            return PAT_IS_OPAQUE
        return None


@dataclass(frozen=True)
class Variant:
    """A cell run with one access-token format."""

    cell: Cell
    token_format: TokenFormat

    @property
    def slug(self) -> str:
        """A stable id, e.g. ``cell3-cc-pkjwt-opaque``."""
        return f"{self.cell.slug}-{self.token_format}"


GRANTS = (Grant.JWT_PROFILE, Grant.CLIENT_CREDENTIALS, Grant.PAT)


def cells() -> tuple[Cell, ...]:
    """The nine cells: ZITADEL's examples table (1-6), then each grant x local JWT (7-9)."""
    auths = (Mechanism.PRIVATE_KEY_JWT, Mechanism.CLIENT_SECRET_BASIC)
    pairs = [(grant, auth) for grant in GRANTS for auth in auths]
    pairs += [(grant, Mechanism.LOCAL_JWT) for grant in GRANTS]
    return tuple(Cell(number, grant, auth) for number, (grant, auth) in enumerate(pairs, 1))


def cell_by_number(number: int) -> Cell:
    """The cell numbered ``number`` (1 to 9)."""
    for cell in cells():
        if cell.number == number:
            return cell
    raise ValueError(f"There is no cell {number}: cells are numbered 1 to {len(cells())}.")


def variants(
    cell: Cell, mode: Mode, live_format: TokenFormat = TokenFormat.OPAQUE
) -> tuple[Variant, ...]:
    """The variants a cell runs as.

    A PAT is always opaque. In mock mode the other grants run with both formats, because the
    mock can provision a service user of either kind; a live instance issues whatever its
    service users are set to, which the user states as ``live_format``. A local-JWT API checks
    JWT access tokens only, so its cells run with JWTs in mock mode.
    """
    if cell.grant is Grant.PAT:
        return (Variant(cell, TokenFormat.OPAQUE),)
    if mode is Mode.MOCK and not cell.mechanism.introspects:
        return (Variant(cell, TokenFormat.JWT),)
    if mode is Mode.MOCK:
        return (Variant(cell, TokenFormat.OPAQUE), Variant(cell, TokenFormat.JWT))
    return (Variant(cell, live_format),)
