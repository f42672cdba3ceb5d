"""`python -m service_user_client_credentials [--env-file PATH] [--call URL] [--json]`."""

import os
import sys

from oauthkit.cli import run_client
from oauthkit.grants import ClientCredentialsGrant

sys.exit(
    run_client("service_user_client_credentials", ClientCredentialsGrant, sys.argv[1:], os.environ)
)
