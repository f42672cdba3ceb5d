"""``GET /oauth/v2/keys``: the JWK Set that verifies JWT access tokens (RFC 7517 §5).

Like ZITADEL, the response may be cached for a short while (``JWKSCacheControlMaxAge``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_issuer.instance import Instance


async def handle(request: Request, instance: Instance) -> Response:
    """Serve the instance's public signing key(s)."""
    keys = {"keys": [instance.signing_key().public_jwk()]}
    return JSONResponse(keys, headers={"Cache-Control": "max-age=300"})
