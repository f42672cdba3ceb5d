"""`python -m api_basic_auth`: serve the API on 127.0.0.1:8002 (see `--help`)."""

import os
import sys

from api_basic_auth.app import create_app, load_settings
from oauthkit.serve import run_api

sys.exit(run_api("api_basic_auth", sys.argv[1:], os.environ, load_settings, create_app, 8002))
