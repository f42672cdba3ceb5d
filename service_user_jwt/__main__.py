"""`python -m service_user_jwt` (or `service-user-jwt`): get a token (see `--help`)."""

import os
import sys

from oauthkit import JwtProfileGrant
from oauthkit.commands import run_client


def main() -> int:
    """Run the client once; returns the exit status."""
    return run_client("service_user_jwt", JwtProfileGrant, sys.argv[1:], os.environ)


if __name__ == "__main__":
    sys.exit(main())
