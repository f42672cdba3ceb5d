"""Validating JWT access tokens locally, against the issuer's published keys (RFC 9068).

RFC 9068 §4 (https://www.rfc-editor.org/rfc/rfc9068#section-4) and RFC 8725 (JWT best current
practice) in the order an API must apply them; PyJWT does the signature and the JOSE parsing,
this module the policy PyJWT leaves to its caller:

1. a token that is not a JWS compact serialisation (a PAT, an opaque token) is refused with a
   description saying this API accepts only JWT access tokens; one of three parts that are not
   each canonical base64url without padding (RFC 7515 §2 and §7.1, RFC 7519 §7.2: a padded,
   re-encoded or otherwise altered JWT) is refused too, before its header is read; a header
   with a `crit` extension this API does not understand (all of them, RFC 7515 §4.1.11) is
   refused as such (the header's keys, `jwk`, `jku`, `x5u`, `x5c`, are never used);
2. `alg` must be on the configured allow-list (default RS256; `none` and HMAC algorithms can
   never be configured, RFC 8725 §2.1 and §3.1), and the key's own `alg`, if any, must match;
3. `typ`: `JWT` (what ZITADEL signs), `at+jwt` (RFC 9068 §2.1) or none by default; only
   `at+jwt` when strict;
4. the key is found by `kid` in the JWKS cache (`oauthkit.jwks`): 503 when it cannot be known;
5. the signature, then `iss` exactly the issuer (RFC 9068 §4 step 3), the required claims
   (RFC 9068 §2.2: `client_id` and `jti` by default; an ID token has neither, so it is refused
   as an access token), then `exp`/`nbf` with leeway against the injected clock, the audience
   and the roles, exactly as the introspecting APIs check an introspection answer
   (`oauthkit.validation`).

Roles: the project's own claim `urn:zitadel:iam:org:project:{id}:roles` when the token has it,
else the configured roles claim (`urn:zitadel:iam:org:project:roles`), plus `scope` words.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import jwt

from oauthkit.errors import ConfigError, InvalidToken
from oauthkit.fetch import DEFAULT_MAX_ANSWER_BYTES
from oauthkit.jwks import DEFAULT_COOLDOWN, JwksCache, PublicKey
from oauthkit.validation import Principal, TokenPolicy, roles_of, validate

TypPolicy = Literal["default", "strict"]
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
ONLY_JWT = (
    "This API accepts only JWT access tokens; this token is not a JWT (a personal access token "
    "or an opaque access token cannot be validated here)."
)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_PARTS = ("header", "payload", "signature")
_TYPES = {
    "default": frozenset({"jwt", "at+jwt", "application/at+jwt", None}),
    "strict": frozenset({"at+jwt", "application/at+jwt"}),
}


@dataclass(frozen=True)
class JwtRules:
    """What a locally validating API accepts beyond `TokenPolicy`: algorithms, typ, claims; and
    how it reads the issuer's keys (refresh cooldown, deadline and size cap of a refresh)."""

    algorithms: tuple[str, ...] = ("RS256",)
    typ: TypPolicy = "default"
    required_claims: tuple[str, ...] = ("client_id", "jti")
    project_roles_claim: str | None = None
    jwks_refresh_cooldown: float = DEFAULT_COOLDOWN
    jwks_timeout: float = 5.0
    jwks_max_bytes: int = DEFAULT_MAX_ANSWER_BYTES

    def __post_init__(self) -> None:
        unsafe = [a for a in self.algorithms if a not in ASYMMETRIC_ALGORITHMS]
        if unsafe or not self.algorithms:
            raise ConfigError(
                f"JWT_ALGORITHMS: {', '.join(unsafe) or '(empty)'} cannot be accepted: only "
                f"public-key algorithms ({' '.join(sorted(ASYMMETRIC_ALGORITHMS))}); never "
                "'none' nor an HMAC algorithm (RFC 8725 §2.1, §3.1). Example: RS256"
            )


@dataclass
class LocalJwtValidator:
    """Checks one JWT access token against the issuer's keys, `rules` and `policy`."""

    issuer: str
    keys: JwksCache
    policy: TokenPolicy = field(default_factory=TokenPolicy)
    rules: JwtRules = field(default_factory=JwtRules)

    async def validate(self, token: str, now: float) -> Principal:
        """The token's principal at time `now`, or a `ResourceError` saying why not."""
        header = _header(token)
        alg = self._algorithm(header)
        self._check_typ(header)
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("the JWT header has no kid", description="The JWT has no kid.")
        key = await self.keys.key(kid)
        if key.alg is not None and key.alg != alg:
            raise InvalidToken(f"the key {kid!r} is for {key.alg}, the token says {alg}")
        claims = self._claims(token, key, alg)
        principal = validate({**claims, "active": True}, self.policy, now)
        return self._with_project_roles(principal, claims)

    def _algorithm(self, header: dict[str, Any]) -> str:
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.rules.algorithms:
            shown = "none (an unsigned JWT)" if str(alg).lower() == "none" else repr(alg)
            raise InvalidToken(
                f"alg {shown} is not among the accepted {', '.join(self.rules.algorithms)}",
                description="The JWT's algorithm is not accepted.",
            )
        return alg

    def _check_typ(self, header: dict[str, Any]) -> None:
        typ = header.get("typ")
        found = typ.lower() if isinstance(typ, str) else typ
        if found not in _TYPES[self.rules.typ]:
            raise InvalidToken(
                f"typ {typ!r} is not accepted ({self.rules.typ} policy)",
                description="The JWT's typ is not an access token's (RFC 9068 §2.1).",
            )

    def _claims(self, token: str, key: PublicKey, alg: str) -> dict[str, Any]:
        options: Any = {
            "verify_aud": False,  # checked below as for introspection, against several ids
            "verify_exp": False,  # exp and nbf are checked against the injected clock
            "verify_nbf": False,
            "verify_iat": False,
            "verify_iss": False,
            "require": ["iss", "sub", "exp"],
        }
        try:
            claims: dict[str, Any] = jwt.decode(token, key.key, algorithms=[alg], options=options)
        except jwt.InvalidSignatureError:
            raise InvalidToken(
                "the signature does not verify with the issuer's key",
                description="The access token's signature is not valid.",
            ) from None
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"the JWT was refused: {exc}") from None
        if claims.get("iss") != self.issuer:
            raise InvalidToken(
                f"iss is {claims.get('iss')!r}, not {self.issuer!r}",
                description="The access token was issued by another issuer.",
            )
        missing = [name for name in self.rules.required_claims if name not in claims]
        if missing:
            raise InvalidToken(
                f"no {', '.join(missing)} claim: not an access token (an ID token?)",
                description="This is not an access token (an ID token is not accepted).",
            )
        return claims

    def _with_project_roles(self, principal: Principal, claims: dict[str, Any]) -> Principal:
        own = self.rules.project_roles_claim
        if own is None or own not in claims:
            return principal
        roles = roles_of(claims[own]) | frozenset(principal.scope)
        return dataclasses.replace(principal, roles=roles)


def _header(token: str) -> dict[str, Any]:
    if token.count(".") != 2:
        raise InvalidToken("the token is not a JWS compact serialisation", description=ONLY_JWT)
    for name, part in zip(_PARTS, token.split("."), strict=True):
        if not _canonical_base64url(part):
            raise InvalidToken(
                f"the JWT's {name} is not canonical base64url without padding (RFC 7515 §2)",
                description="The access token is not a JWT in its compact serialisation.",
            )
    try:
        header: dict[str, Any] = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        raise InvalidToken("the token's JWT header cannot be read", description=ONLY_JWT) from None
    except jwt.PyJWTError as exc:  # read, but refused: an unknown crit (RFC 7515 §4.1.11)...
        raise InvalidToken(
            f"the JWT header is refused: {exc}", description="The JWT's header is not accepted."
        ) from None
    return header


def _canonical_base64url(part: str) -> bool:
    """Whether `part` is base64url without padding, as the one encoder would write its bytes."""
    if not _BASE64URL.fullmatch(part) or len(part) % 4 == 1:
        return False
    decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))  # valid: checked above
    return base64.urlsafe_b64encode(decoded).rstrip(b"=").decode("ascii") == part
