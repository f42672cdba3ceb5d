"""`python -m api_basic_auth` (or `api-basic-auth`): serve the API on 127.0.0.1:8002."""

import os
import sys

from api_basic_auth.app import create_app, load_settings
from oauthkit.fastapi import run_api

VARIABLES = "required: ZITADEL_DOMAIN, PROJECT_ID, API_CLIENT_ID, API_CLIENT_SECRET"


def main() -> int:
    """Serve until interrupted; returns the exit status."""
    return run_api(
        "api_basic_auth",
        sys.argv[1:],
        os.environ,
        load_settings,
        create_app,
        8002,
        variables=VARIABLES,
    )


if __name__ == "__main__":
    sys.exit(main())
