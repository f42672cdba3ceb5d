"""``GET /oauth/v2/keys``: the JWK Set that verifies JWT access tokens (RFC 7517 §5).

Like ZITADEL, the response may be cached for a short while (``JWKSCacheControlMaxAge``). It
lists every key the key ring publishes now (after a rotation, the new key and the old one for a
while); each request is counted, so tests can tell how often an API fetched the keys.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_issuer.instance import Instance


async def handle(request: Request, instance: Instance) -> Response:
    """Serve the instance's published public signing keys."""
    instance.jwks_calls += 1
    keys = {"keys": [key.public_jwk() for key in instance.keys.published()]}
    return JSONResponse(keys, headers={"Cache-Control": "max-age=300"})
