"""The command line the sample APIs share: load settings, build the app, serve it.

    python -m api_jwt [--env-file PATH] [--host HOST] [--port PORT] [--log-level LEVEL]

Settings come from the environment and the `.env` file (RFC 7662 §2.1's client credentials
among them, https://www.rfc-editor.org/rfc/rfc7662#section-2.1); uvicorn serves the app on a
socket bound here first, so a taken port is one line naming it. A configuration error or a
port that cannot be bound is printed with what to fix, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

import uvicorn
from fastapi import FastAPI

from oauthkit.commands.conventions import (
    add_version,
    env_file_argument,
    epilog,
    load_env,
    port_number,
)
from oauthkit.env import EnvSource
from oauthkit.errors import ConfigError
from oauthkit.settings import ApiSettings

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
EXIT_CODES = {
    0: "stopped by Ctrl-C or SIGTERM",
    2: "could not start: a configuration error, a bad option, or the port is taken",
}
OPTIONAL_VARIABLES = """optional: API_AUDIENCE, ROLES_CLAIM, API_REALM, the others in .env.example
  read from the process environment first, then the .env file"""


def api_parser(prog: str, default_port: int, variables: str = "") -> argparse.ArgumentParser:
    """The argument parser of a sample API; `variables` names the ones it requires."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {prog}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=f"Serve the sample API {prog}, checking the bearer tokens that "
        "ZITADEL_DOMAIN issues.\nRoutes: /api/public, /api/private, /api/private-scoped (role "
        "read:messages), POST /api/messages, /api/healthz;\nthe OpenAPI page at /docs needs no "
        "network.",
        epilog=epilog(EXIT_CODES, (variables + "\n  " if variables else "") + OPTIONAL_VARIABLES),
    )
    add_version(parser)
    env_file_argument(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=default_port,
        help="port; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--log-level", choices=LOG_LEVELS, default="info", help="log level (default: %(default)s)"
    )
    return parser


def run_api(
    prog: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    load: Callable[[EnvSource], ApiSettings[Any]],
    create_app: Callable[[Any], FastAPI],
    default_port: int,
    *,
    variables: str = "",
    stderr: TextIO | None = None,
) -> int:
    """Run an API's command line until interrupted; returns the exit status."""
    args = api_parser(prog, default_port, variables).parse_args(argv)
    err = stderr or sys.stderr
    try:
        settings = load(load_env(args.env_file, environ))
    except ConfigError as exc:
        print(f"{prog}: configuration error: {exc}", file=err)
        return 2
    try:
        sock = listening_socket(args.host, args.port)
    except OSError as exc:
        print(f"{prog}: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
              "pick another --port (0 picks a free one)", file=err)  # fmt: skip
        return 2
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config = uvicorn.Config(
        create_app(settings), host=args.host, port=args.port, log_level=args.log_level
    )
    with sock:
        _Server(config).run(sockets=[sock])
    return 0


class _Server(uvicorn.Server):
    """uvicorn's server, still saying "Uvicorn running on URL" when handed its socket."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if sockets and not self.should_exit:
            self._log_started_message(sockets)


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host:port` (as uvicorn would bind it); raises `OSError`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock
