"""`python -m api_local_jwt` (or `api-local-jwt`): serve the API on 127.0.0.1:8003."""

import os
import sys

from api_local_jwt.app import create_app, load_settings
from oauthkit.fastapi import run_api

VARIABLES = "required: ZITADEL_DOMAIN, PROJECT_ID (or API_AUDIENCE)"


def main() -> int:
    """Serve until interrupted; returns the exit status."""
    return run_api(
        "api_local_jwt",
        sys.argv[1:],
        os.environ,
        load_settings,
        create_app,
        8003,
        variables=VARIABLES,
    )


if __name__ == "__main__":
    sys.exit(main())
