"""`python -m service_user_client_credentials` (`service-user-client-credentials`): see `--help`."""

import os
import sys

from oauthkit import ClientCredentialsGrant
from oauthkit.commands import run_client


def main() -> int:
    """Run the client once; returns the exit status."""
    return run_client(
        "service_user_client_credentials", ClientCredentialsGrant, sys.argv[1:], os.environ
    )


if __name__ == "__main__":
    sys.exit(main())
