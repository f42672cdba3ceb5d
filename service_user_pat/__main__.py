"""`python -m service_user_pat` (or `service-user-pat`): get a token (see `--help`)."""

import os
import sys

from oauthkit import PatGrant
from oauthkit.commands import run_client


def main() -> int:
    """Run the client once; returns the exit status."""
    return run_client("service_user_pat", PatGrant, sys.argv[1:], os.environ)


if __name__ == "__main__":
    sys.exit(main())
