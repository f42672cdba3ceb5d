"""``python -m mock_issuer``: run the mock issuer until Ctrl-C (RFC 8414 §3 discovery).

Provisions the ready-made world, optionally writes ``.env`` and key files for the samples, and
prints the issuer URL, the endpoints and the ids of what exists. Never prints a secret.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from mock_issuer.issuer import MockIssuer
from mock_issuer.provision import Provisioned


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m mock_issuer",
        description="Run a ZITADEL-shaped mock OAuth 2.0 issuer on loopback.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port (0 = a free port)")
    parser.add_argument(
        "--write-env",
        metavar="DIR",
        type=Path,
        help="write DIR/.env and the key files the samples need (mode 0600)",
    )
    parser.add_argument(
        "--issuer-url", help="issuer URL to put in 'iss' (default http://HOST:PORT)"
    )
    parser.add_argument(
        "--access-token-type",
        choices=("bearer", "jwt"),
        default="bearer",
        help="access token type of the provisioned service users (bearer = opaque)",
    )
    parser.add_argument(
        "--log-level", default="info", choices=("debug", "info", "warning", "error")
    )
    return parser.parse_args(argv)


def summary(issuer: MockIssuer, world: Provisioned, env_path: Path | None) -> str:
    """What a user needs to know, without secrets."""
    lines = [
        f"issuer: {issuer.issuer}",
        f"  discovery:     {issuer.discovery_url}",
        f"  token:         {issuer.token_endpoint}",
        f"  introspection: {issuer.introspection_endpoint}",
        f"  revocation:    {issuer.revocation_endpoint}",
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
    world = issuer.provision(access_token_type=args.access_token_type)
    env_path = world.write_env(args.write_env) if args.write_env else None
    print(summary(issuer, world, env_path), flush=True)
    print("serving; press Ctrl-C to stop", flush=True)
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


if __name__ == "__main__":
    sys.exit(main())
