"""`python -m benchmarks.profile`: where an API's CPU goes under load, as a cProfile summary.

The API runs as in the goals run (its own process, uvicorn's loop and parser), with cProfile
tracing its event loop while one probe's load (public route, RFC 7662 introspection per request
with the cache off, https://www.rfc-editor.org/rfc/rfc7662#section-2.1, or a cached token) comes
from another process. The profile (functions by own time, then by cumulative time) is written
into `--out`, with the raw `.prof` for pstats, and printed.
"""

from __future__ import annotations

import argparse
import pstats
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from benchmarks.api_process import REPO, ApiProcess
from benchmarks.goal_run import CACHE_TTL_S, _warm
from benchmarks.loadgen import CHOICES, choose, generate
from benchmarks.options import positive
from benchmarks.scenarios import SERVED_APIS, ApiConfig, ApiName, Load
from benchmarks.target import route
from benchmarks.tokens import fresh_tokens
from mock_issuer import MockIssuer

PROBES = ("public", "private", "cached")


def profile(app: ApiName, probe: str, load: Load, generator: str, out: Path) -> Path:
    """Profile `app` under `probe`'s load; the path of the text profile."""
    out.mkdir(parents=True, exist_ok=True)
    text = out / f"{app}-{probe}.txt"
    with tempfile.TemporaryDirectory(prefix="benchmarks-profile-") as name, MockIssuer() as issuer:
        workdir = Path(name)
        env = issuer.provision("jwt" if app == "api_local_jwt" else "bearer").write_env(workdir)
        config = ApiConfig(app, CACHE_TTL_S if probe == "cached" else 0.0)
        tokens = fresh_tokens(env, 1 if probe == "cached" else load.pool)
        with ApiProcess(config, env, workdir / "api.log", profile=text) as api:
            _warm(api.url, tokens if probe == "cached" else fresh_tokens(env, 4), 4)
            path = "/api/public" if probe == "public" else "/api/private"
            chosen = choose(generator, load)
            generate(chosen, route(api.url, path), tokens, load, workdir)
    return text


def package_of(filename: str) -> str:
    """Who owns the code in `filename`: an installed package, a folder of this repository,
    the standard library, or C built-ins (`~` in cProfile's tables)."""
    if filename == "~":
        return "built-ins (C)"
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    root = str(REPO) + "/"
    if filename.startswith(root):
        return filename.removeprefix(root).split("/", 1)[0].removesuffix(".py")
    return "stdlib"


def shares(stats: Mapping[tuple[str, int, str], tuple[Any, ...]]) -> list[tuple[str, float]]:
    """Each package's share (%) of the profiled own time, largest first (pstats' `stats`)."""
    own: dict[str, float] = {}
    for (filename, _, _), entry in stats.items():
        own[package_of(filename)] = own.get(package_of(filename), 0.0) + entry[2]
    total = sum(own.values()) or 1.0
    return sorted(((name, 100.0 * t / total) for name, t in own.items()), key=lambda x: -x[1])


def shares_markdown(profile_file: Path, top: int = 10) -> str:
    """The own-time shares of a `.prof` file as a Markdown table."""
    stats: Any = pstats.Stats(str(profile_file))
    rows = [f"| {name} | {share:.1f} |" for name, share in shares(stats.stats)[:top]]
    return "\n".join(["| code | share of the API's CPU (%) |", "| :-- | --: |", *rows])


def main(argv: Sequence[str]) -> int:
    """Run the command line; prints the profile."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--api", choices=SERVED_APIS, default="api_basic_auth")
    p.add_argument("--probe", choices=PROBES, default="private")
    p.add_argument("--duration", type=positive(float), default=5.0, metavar="S")
    p.add_argument("--concurrency", type=positive(int), default=32, metavar="N")
    p.add_argument("--load", choices=CHOICES, default="auto")
    p.add_argument("--out", type=Path, default=Path("reports/profiles"), metavar="DIR")
    args = p.parse_args(argv)
    load = Load(concurrency=args.concurrency, requests=None, duration=args.duration)
    text = profile(cast(ApiName, args.api), args.probe, load, args.load, args.out)
    print(text.read_text(encoding="utf-8"))
    print(shares_markdown(text.with_suffix(".prof")))
    print(f"profile written to {text} (and {text.with_suffix('.prof')})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
