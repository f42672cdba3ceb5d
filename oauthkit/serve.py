"""The command line the two sample APIs share: load settings, build the app, serve it.

    python -m api_jwt [--env-file PATH] [--host HOST] [--port PORT] [--log-level LEVEL]

Settings come from the environment and the `.env` file (RFC 7662 §2.1's client credentials
among them, https://www.rfc-editor.org/rfc/rfc7662#section-2.1); uvicorn serves the app. A
configuration error is printed with what to fix, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

import uvicorn
from fastapi import FastAPI

from oauthkit.cli import env_file_argument, load_env
from oauthkit.env import EnvSource
from oauthkit.errors import ConfigError
from oauthkit.settings import ApiSettings

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def api_parser(prog: str, default_port: int) -> argparse.ArgumentParser:
    """The argument parser of a sample API."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {prog}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=f"Serve the sample API {prog}, checking the bearer tokens that "
        "ZITADEL_DOMAIN issues.\nRoutes: /api/public, /api/private, /api/private-scoped (role "
        "read:messages), /api/healthz.",
    )
    env_file_argument(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (%(default)s)")
    parser.add_argument(
        "--port", type=int, default=default_port, help="port; 0 picks a free one (%(default)s)"
    )
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="info", help="(%(default)s)")
    return parser


def run_api(
    prog: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    load: Callable[[EnvSource], ApiSettings[Any]],
    create_app: Callable[[Any], FastAPI],
    default_port: int,
    *,
    stderr: TextIO | None = None,
) -> int:
    """Run an API's command line until interrupted; returns the exit status."""
    args = api_parser(prog, default_port).parse_args(argv)
    try:
        settings = load(load_env(args.env_file, environ))
    except ConfigError as exc:
        print(f"{prog}: configuration error: {exc}", file=stderr or sys.stderr)
        return 2
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    return 0
