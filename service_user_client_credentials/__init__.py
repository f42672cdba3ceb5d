"""Sample client: a service user gets a token with the client credentials grant (RFC 6749 §4.4).

It sends `CLIENT_ID` (in ZITADEL, the service user's user name) and `CLIENT_SECRET` in a Basic
header, both form-urlencoded first (RFC 6749 §2.3.1), or in the form with
`CLIENT_AUTH_METHOD=client_secret_post`. Run `python -m service_user_client_credentials --help`.
"""
