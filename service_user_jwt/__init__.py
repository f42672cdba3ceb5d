"""Sample client: a service user gets a token with the JWT profile grant (RFC 7523 §2.1).

It signs a short-lived assertion (iss = sub = its user id, aud = the issuer, a fresh `jti`)
with its key file, `CLIENT_PRIVATE_KEY_FILE_PATH` (`"type": "serviceaccount"`), and posts it to
the token endpoint found by discovery. Run `python -m service_user_jwt --help`.
"""
