"""``python -m mock_issuer`` (or ``mock-issuer``): run the mock issuer until Ctrl-C (RFC 8414 §3).

Provisions the ready-made world, optionally writes ``.env`` and key files for the samples, and
prints the issuer URL, the address it really listens on, the endpoints and the ids of what
exists. Never prints a secret. A port that cannot be bound or a ``--write-env`` folder that
cannot be written is one line on stderr and exit status 2. If the reader of stdout goes away
(``| head -1``), the issuer keeps serving and prints nothing more: a server is not a filter.
The help follows the other commands' layout (``oauthkit.commands.conventions``), written out here
because the mock imports nothing from ``oauthkit``.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from mock_issuer import __version__
from mock_issuer.issuer import MockIssuer
from mock_issuer.provision import Provisioned

EPILOG = """\
exit status:
  0    stopped by Ctrl-C or SIGTERM
  2    could not start: a bad option, the port is taken, --write-env cannot be written

environment:
  none read; --write-env writes the variables the samples read (ZITADEL_DOMAIN, ...)"""


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 to 65535 (0 picks a free one)."""
    port = int(text) if text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give 0 to 65535 (0: a free one)")
    return port


OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("--version", {"action": "version", "version": f"%(prog)s {__version__}",
                   "help": "print the version"}),
    ("--host", {"default": "127.0.0.1", "help": "address to listen on (default: %(default)s)"}),
    ("--port", {"type": port_number, "default": 8080,
                "help": "port; 0 picks a free one (default: %(default)s)"}),
    ("--write-env", {"metavar": "DIR", "type": Path,
                     "help": "write DIR/.env and the key files the samples need (mode 0600)"}),
    ("--issuer-url", {"help": "issuer URL to put in 'iss', e.g. behind a proxy "
                              "(default: http://HOST:PORT)"}),
    ("--access-token-type", {"choices": ("bearer", "jwt"), "default": "bearer",
                             "help": "access token type of the provisioned service users, "
                                     "bearer = opaque (default: %(default)s)"}),
    ("--log-level", {"default": "info", "choices": ("debug", "info", "warning", "error"),
                     "help": "log level (default: %(default)s)"}),
)  # fmt: skip
"""A data table: each option of the command line and its ``add_argument`` keywords, in order."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line options (:data:`OPTIONS`)."""
    parser = argparse.ArgumentParser(
        prog="python -m mock_issuer",
        description="Run a ZITADEL-shaped mock OAuth 2.0 issuer on loopback.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for flag, options in OPTIONS:
        parser.add_argument(flag, **options)
    return parser.parse_args(argv)


def summary(issuer: MockIssuer, world: Provisioned, env_path: Path | None) -> str:
    """What a user needs to know, without secrets."""
    lines = [
        f"issuer: {issuer.issuer}",
        f"  listening on:  {issuer.listen_url}",
        f"  discovery:     {issuer.discovery_url}",
        f"  token:         {issuer.token_endpoint}",
        f"  introspection: {issuer.introspection_endpoint}",
        f"  revocation:    {issuer.revocation_endpoint}",
        f"  userinfo:      {issuer.userinfo_endpoint}",
        f"  jwks:          {issuer.jwks_uri}",
        f"organisation {world.org.id} ({world.org.primary_domain})",
        f"project {world.project.id} ({world.project.name}, roles {' '.join(world.project.roles)})",
        f"  API app {world.api_jwt_app.client_id} (private_key_jwt)",
        f"  API app {world.api_basic_app.client_id} (client_secret_basic)",
        f"other project {world.other_project.id}: API app {world.other_api_app.client_id}",
    ]
    for user, creds in (
        (world.jwt_user, "key, role read:messages"),
        (world.cc_user, "secret, role read:messages"),
        (world.pat_user, "PAT, role read:messages"),
        (world.norole_user, "key + secret + PAT, no role"),
    ):
        lines.append(f"service user {user.username} id {user.user_id} ({creds})")
    if env_path is not None:
        lines.append(f"env: {env_path}")
    return "\n".join(lines)


def _stop_on_sigterm(stop: threading.Event) -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    """Run until Ctrl-C or SIGTERM; return the exit status."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    issuer = MockIssuer()
    try:
        issuer.start(args.host, args.port, issuer_url=args.issuer_url)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        world = issuer.provision(access_token_type=args.access_token_type)
        env_path = _write_env(world, args.write_env)
    except OSError as exc:
        issuer.stop()
        print(f"error: --write-env {args.write_env}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    _print(summary(issuer, world, env_path) + "\nserving; press Ctrl-C to stop")
    stop = threading.Event()
    _stop_on_sigterm(stop)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        issuer.stop()
    return 0


def _write_env(world: Provisioned, directory: Path | None) -> Path | None:
    return world.write_env(directory) if directory is not None else None


def _print(text: str) -> None:
    """Print and flush; if the reader closed stdout, send the rest to /dev/null and go on."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
