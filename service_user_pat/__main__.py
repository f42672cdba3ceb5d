"""`python -m service_user_pat [--env-file PATH] [--call URL] [--json]` (see `--help`)."""

import os
import sys

from oauthkit.cli import run_client
from oauthkit.grants import PatGrant

sys.exit(run_client("service_user_pat", PatGrant, sys.argv[1:], os.environ))
