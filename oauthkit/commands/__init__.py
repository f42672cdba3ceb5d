"""oauthkit's command lines: the conventions every command here keeps, and the service-user
clients' command line.

| module | what it holds |
|---|---|
| `conventions` | `--version`, `--env-file`, `--help`'s layout, ports, a closed stdout (141) |
| `client` | `run_client`: get a token with a grant, print it or call an API with it |

The APIs' command line, which needs uvicorn, is `oauthkit.fastapi.run_api`. Use these names
from `oauthkit.commands`; the modules are its inside.
"""

from oauthkit.commands.client import client_parser, run_client
from oauthkit.commands.conventions import (
    CLOSED_STDOUT,
    EXIT_BROKEN_PIPE,
    add_version,
    env_file_argument,
    epilog,
    exit_quietly_on_closed_stdout,
    leave,
    load_env,
    port_number,
)

__all__ = [
    "CLOSED_STDOUT",
    "EXIT_BROKEN_PIPE",
    "add_version",
    "client_parser",
    "env_file_argument",
    "epilog",
    "exit_quietly_on_closed_stdout",
    "leave",
    "load_env",
    "port_number",
    "run_client",
]
