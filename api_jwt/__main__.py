"""`python -m api_jwt` (or `api-jwt`): serve the API on 127.0.0.1:8001 (see `--help`)."""

import os
import sys

from api_jwt.app import create_app, load_settings
from oauthkit.fastapi import run_api

VARIABLES = (
    "required: ZITADEL_DOMAIN, PROJECT_ID, API_PRIVATE_KEY_FILE (a key file, type application)"
)


def main() -> int:
    """Serve until interrupted; returns the exit status."""
    return run_api(
        "api_jwt", sys.argv[1:], os.environ, load_settings, create_app, 8001, variables=VARIABLES
    )


if __name__ == "__main__":
    sys.exit(main())
