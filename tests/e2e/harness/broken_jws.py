"""api_local_jwt broken on purpose for the JWS forgery pack (RFC 7515, RFC 8725).

One validator trusts the keys a token brings or names: the ``jwk`` header's key, and the key
set at the ``jku`` URL (fetched, as libraries that "support jku" do), so a token signed by
anyone passes and the canary counts the fetch. Module-level, so it pickles into workers.
"""

from __future__ import annotations

from typing import Any

import httpx
import jwt
from starlette.types import ASGIApp

from oauthkit import ApiSettings, LocalJwtValidator, Principal, PublicKey, validate

from .broken_apis import _local_jwt_api


class _TrustsHeaderKeys(LocalJwtValidator):
    """Verifies with the header's ``jwk``, or with the ``jku`` key set's key of the ``kid``."""

    async def validate(self, token: str, now: float) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            header = {}  # the sample's own refusal
        if "jwk" in header:
            key = jwt.PyJWK(header["jwk"]).key
        elif "jku" in header:
            key = await _fetched_key(str(header["jku"]), header.get("kid"))
        else:
            return await super().validate(token, now)
        claims = self._claims(token, PublicKey(str(header.get("kid")), key), str(header["alg"]))
        return validate({**claims, "active": True}, self.policy, now)


async def _fetched_key(url: str, kid: object) -> Any:
    async with httpx.AsyncClient(timeout=5.0) as http:
        keys = (await http.get(url)).json()["keys"]
    return jwt.PyJWK(next(k for k in keys if k.get("kid") == kid)).key


def trusts_header_keys(settings: ApiSettings[Any]) -> ASGIApp:
    """api_local_jwt, but a token's own ``jwk`` or ``jku`` says which key verifies it."""
    return _local_jwt_api(settings, _TrustsHeaderKeys)
