"""Sample API that validates JWT access tokens locally against the issuer's JWKS."""
