"""`python -m api_local_jwt`: serve the API on 127.0.0.1:8003 (see `--help`)."""

import os
import sys

from api_local_jwt.app import create_app, load_settings
from oauthkit.serve import run_api

sys.exit(run_api("api_local_jwt", sys.argv[1:], os.environ, load_settings, create_app, 8003))
