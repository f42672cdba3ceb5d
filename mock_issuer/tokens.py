"""Issuing and resolving access tokens, ID tokens and PATs (RFC 6749 §5.1, RFC 9068, RFC 7009).

Opaque tokens (ZITADEL's "Bearer" type) are random and only mean something to the store. JWT
access tokens are RS256-signed with the instance's current key (header ``typ`` ZITADEL's
``JWT``, or ``at+jwt`` when ``instance.access_token_typ`` says so) and carry ZITADEL's claims (spec
§2.4: ``iss sub aud exp iat nbf client_id jti``, no ``scope``) plus what the scopes ask for (see
:func:`mock_issuer.claims.access_token_claims`); they are still recorded, so revoking one or
deactivating its user makes it introspect as inactive (an API validating it locally does not
notice: that is the trade-off of local validation).
"""

from __future__ import annotations

import base64
import re
import secrets
from typing import Any

import jwt

from mock_issuer.claims import access_token_claims
from mock_issuer.instance import Instance
from mock_issuer.model import NO_EXPIRY, TokenKind, TokenRecord, UserRecord
from mock_issuer.role_shapes import reshape, roles_project
from mock_issuer.scopes import PAT_SCOPES, audience, granted_scopes

_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def _token_id(instance: Instance) -> str:
    # ZITADEL's form: "V2_<session id>-at_<token id>".
    return f"V2_{instance.store.new_id()}-at_{instance.store.new_id()}"


def _new_record(
    instance: Instance, user: UserRecord, scope: str, amr: tuple[str, ...]
) -> TokenRecord:
    scopes = granted_scopes(scope, instance.org)
    issued_at = float(int(instance.now()))
    kind: TokenKind = "jwt" if user.access_token_type == "jwt" else "opaque"
    return TokenRecord(
        token_id=_token_id(instance),
        kind=kind,
        user_id=user.user_id,
        client_id=user.username,
        scopes=scopes,
        audience=audience(scopes, instance.zitadel_project_id),
        issued_at=issued_at,
        expires_at=issued_at + instance.access_token_lifetime,
        amr=amr,
    )


def _sign(instance: Instance, claims: dict[str, Any], typ: str = "JWT") -> str:
    key = instance.signing_key()
    headers = {"kid": key.kid, "typ": typ}
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers=headers)


def _jwt_claims(instance: Instance, record: TokenRecord, user: UserRecord) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": instance.issuer,
        "sub": record.user_id,
        "aud": list(record.audience) or [record.client_id],
        "exp": int(record.expires_at),
        "iat": int(record.issued_at),
        "nbf": int(record.issued_at),
        "client_id": record.client_id,
        "jti": record.token_id,
    }
    claims |= access_token_claims(record, user, instance.org)
    project = roles_project(claims, record.audience)
    if instance.role_shape is None or project is None:
        return claims
    return reshape(claims, instance.role_shape, project)


def _id_token(instance: Instance, record: TokenRecord) -> str:
    claims = {
        "iss": instance.issuer,
        "sub": record.user_id,
        "aud": [record.client_id, *record.audience],
        "azp": record.client_id,
        "exp": int(record.expires_at),
        "iat": int(record.issued_at),
        "auth_time": int(record.issued_at),
    }
    return _sign(instance, claims)


def token_response(
    instance: Instance, user: UserRecord, scope: str, amr: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Mint an access token for a service user and build ZITADEL's token response.

    No ``scope`` and no refresh token, as ZITADEL; ``id_token`` only with ``openid``.
    """
    record = _new_record(instance, user, scope, amr)
    if record.kind == "jwt":
        claims = _jwt_claims(instance, record, user)
        access_token = _sign(instance, claims, instance.access_token_typ)
        instance.store.add_token(record)
    else:
        access_token = secrets.token_urlsafe(32)
        instance.store.add_token(record, access_token)
    body: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": max(0, int(record.expires_at - instance.now())),
    }
    if "openid" in record.scopes:
        body["id_token"] = _id_token(instance, record)
    return body


def issue_pat(instance: Instance, user_id: str, expires_at: float | None = None) -> str:
    """A personal access token for a service user (opaque; ZITADEL's stored PAT scopes)."""
    issued_at = float(int(instance.now()))
    record = TokenRecord(
        token_id=_token_id(instance),
        kind="pat",
        user_id=user_id,
        client_id=None,
        scopes=PAT_SCOPES,
        audience=(),
        issued_at=issued_at,
        expires_at=NO_EXPIRY if expires_at is None else expires_at,
    )
    value = secrets.token_urlsafe(32)
    instance.store.add_token(record, value)
    return value


def _verified_jwt_id(instance: Instance, token: str) -> str | None:
    try:
        header = jwt.get_unverified_header(token)
        key = instance.keys.by_kid(header.get("kid"))
        if key is None:
            return None
        claims = jwt.decode(
            token,
            key.private_key.public_key(),
            algorithms=["RS256"],
            options={
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "verify_aud": False,
            },
        )
    except jwt.PyJWTError:
        return None
    jti = claims.get("jti")
    ours = claims.get("iss") == instance.issuer
    return jti if ours and isinstance(jti, str) else None


def canonical_compact_jws(token: str) -> bool:
    """Whether ``token`` is three base64url segments exactly as we would encode them.

    RFC 7515 §2 and §7.1: base64url without padding. Decoders are lenient (they accept ``=``,
    ``+``, ``/`` and unused trailing bits), so a token with ``==`` appended would decode to the
    same JWT; ZITADEL compares the string, so only the canonical form is ours.
    """
    segments = token.split(".")
    if len(segments) != 3 or not all(_BASE64URL.fullmatch(s) for s in segments):
        return False
    try:
        decoded = [base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)) for s in segments]
    except ValueError:
        return False
    return all(
        base64.urlsafe_b64encode(d).rstrip(b"=").decode() == s
        for d, s in zip(decoded, segments, strict=True)
    )


def resolve(instance: Instance, token: str) -> TokenRecord | None:
    """The record behind a token string (opaque, PAT or our JWT), or ``None``."""
    record = instance.store.opaque_token(token)
    if record is not None:
        return record
    if not canonical_compact_jws(token):
        return None
    token_id = _verified_jwt_id(instance, token)
    record = instance.store.token(token_id) if token_id else None
    return record if record is not None and record.kind == "jwt" else None


def revoke(instance: Instance, token: str) -> bool:
    """Revoke a token or PAT; ``False`` if the mock never issued it (RFC 7009 §2.2: no error)."""
    record = resolve(instance, token)
    if record is None:
        return False
    instance.store.revoke_token(record)
    return True
