"""`python -m service_user_client_credentials` (`service-user-client-credentials`): see `--help`."""

import os
import sys

from oauthkit.cli import run_client
from oauthkit.grants import ClientCredentialsGrant


def main() -> int:
    """Run the client once; returns the exit status."""
    return run_client(
        "service_user_client_credentials", ClientCredentialsGrant, sys.argv[1:], os.environ
    )


if __name__ == "__main__":
    sys.exit(main())
