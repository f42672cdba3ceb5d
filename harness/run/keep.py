"""``--keep-issuer``: the mock issuer and the APIs keep running after the run, until Ctrl-C.

The report's copy-as-curl lines name the ports of the run's own mock issuer and APIs, and
secrets as shell variables. With ``--keep-issuer`` the run's targets are not closed when their
cells are done: once the report is written, the command prints where each issuer and API
listens, the mock's ``.env`` (mode 0600, the variables the curl lines use: ``$API_CLIENT_ID``,
``$API_CLIENT_SECRET``, ``$CLIENT_ID``, ``$CLIENT_SECRET``...) and how to get ``$TOKEN`` from
that issuer with the sample client, then waits. The first SIGINT (Ctrl-C), SIGTERM or SIGHUP
closes everything (subjects stopped, temporary files removed) and the command exits with the
run's own status.
"""

from __future__ import annotations

import contextlib
import shlex
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from harness.model.matrix import Mechanism
from harness.run.stopping import RunStopped
from harness.targets.base import Target


def kept_lines(targets: Sequence[Target]) -> list[str]:
    """What the command prints about the targets it keeps: issuers, APIs, how to get a token."""
    lines = ["", "Kept running until Ctrl-C (--keep-issuer), for the report's curl lines:"]
    for target in targets:
        env_file = _env_file(target)
        name = target.subject.name if target.subject is not None else "the sample APIs"
        lines.append(f"  {name}: issuer {target.issuer}; " + ", ".join(_apis(target)))
        if env_file is not None:
            quoted = shlex.quote(str(env_file))
            lines += [
                f"    set -a; . {quoted}; set +a",
                f"    TOKEN=$(python -m service_user_client_credentials --env-file {quoted})",
            ]
    lines += [
        "  (the .env holds the mock's throw-away credentials; a curl line's $CLIENT_ASSERTION is a",
        "  JWT signed with API_PRIVATE_KEY_FILE, as mock_issuer/README.md shows)",
    ]
    return lines


@contextlib.contextmanager
def kept_targets(keep: bool) -> Iterator[list[Target] | None]:
    """A list the run adds its targets to instead of closing them (None unless ``keep``);
    every target in it is closed when the block ends, however it ends."""
    targets: list[Target] | None = [] if keep else None
    try:
        yield targets
    finally:
        close_all(targets or ())


def serve_until_stopped(targets: Sequence[Target], out: TextIO) -> None:
    """Print `kept_lines`, then wait for a stop signal (the caller closes the targets)."""
    try:
        print(*kept_lines(targets), sep="\n", file=out, flush=True)
        while True:  # a stop signal raises RunStopped here
            time.sleep(3600)
    except RunStopped:
        print("Stopping the kept issuer(s) and API(s).", file=out, flush=True)


def close_all(targets: Sequence[Target]) -> None:
    """Close every target, each even when another fails to."""
    for target in targets:
        try:
            target.close()
        except Exception:  # the others must still be closed
            continue


def _apis(target: Target) -> list[str]:
    subject = target.subject
    mechanisms = [subject.mechanism] if subject is not None else list(Mechanism)
    found = []
    for mechanism in mechanisms:
        try:
            found.append(f"{mechanism.value} API {target.api_url(mechanism)}")
        except (KeyError, ValueError):
            continue
    return found


def _env_file(target: Target) -> Path | None:
    base = getattr(target, "base", target)
    env_file = getattr(base, "env_file", None)
    return env_file if isinstance(env_file, Path) else None
