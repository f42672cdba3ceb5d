"""`python -m service_user_jwt [--env-file PATH] [--call URL] [--json]` (see `--help`)."""

import os
import sys

from oauthkit.cli import run_client
from oauthkit.grants import JwtProfileGrant

sys.exit(run_client("service_user_jwt", JwtProfileGrant, sys.argv[1:], os.environ))
