"""Sample client: a service user's personal access token (PAT), used as a bearer token as is.

No token request is made: `PERSONAL_ACCESS_TOKEN` is sent as `Authorization: Bearer <PAT>`
(RFC 6750 §2.1). Run `python -m service_user_pat --help`.
"""
