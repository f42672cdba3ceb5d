"""`python -m benchmarks.hostile`: the APIs against a hostile issuer's JWKS and discovery document.

For each sample API that reads it (the JWKS: `api_local_jwt`; the discovery document: all
three), a dripped, a 50 MB and a gzip-bombed answer (RFC 7517 §5, RFC 8414 §3 documents no
library should trust blindly). Each case runs a fresh API process (`benchmarks.api_server`, as
`python -m api_*` serves) with its default settings (a 5 s deadline, a 1 MiB cap), sends
`--concurrency` protected requests at once, asks the public route while they wait, and reports
the statuses, the slowest answer, the public route's time and the process's peak RSS (VmHWM).
The hostile issuer is the test suite's (`tests/e2e/samples/hostile_issuer.py`); run from a
checkout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from benchmarks.api_process import ApiProcess
from benchmarks.scenarios import ApiConfig, ApiName
from tests.e2e.samples.hostile_issuer import FLOODS, HostileServer, Issuer, gzip_bomb

CALLS: dict[str, tuple[ApiName, ...]] = {
    "jwks": ("api_local_jwt",),
    "discovery": ("api_jwt", "api_basic_auth", "api_local_jwt"),
}
CLIENT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Case:
    """What one hostile case measured."""

    endpoint: str
    api: str
    answer: str
    statuses: dict[int, int]
    slowest_s: float
    public_ms: float
    rss_start_mib: float
    rss_peak_mib: float


def write_env(folder: Path, issuer: Issuer) -> Path:
    """A `.env` for every sample against `issuer` (an API key file made now, beside it)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    key_file = folder / "api-key-file.json"
    fields = {"type": "application", "keyId": "k1", "key": pem, "appId": "a1", "clientId": "api"}
    key_file.write_text(json.dumps(fields), encoding="utf-8")
    env_file = folder / ".env"
    env_file.write_text(
        f"ZITADEL_DOMAIN={issuer.url}\nPROJECT_ID=p1\nAPI_PRIVATE_KEY_FILE={key_file}\n"
        "API_CLIENT_ID=api\nAPI_CLIENT_SECRET=api-secret\n",
        encoding="utf-8",
    )
    return env_file


Answers = tuple[list[tuple[int, float]], float]
"""Each protected answer's status and seconds, and the public route's milliseconds."""


async def load(url: str, issuer: Issuer, endpoint: str, api: str, concurrency: int) -> Answers:
    """Send the protected requests at once and the public one while they wait."""
    async with httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT_S) as http:
        started = time.perf_counter()

        async def private(n: int) -> tuple[int, float]:
            token = issuer.jwt(jti=f"j{n}") if api == "api_local_jwt" else f"opaque-{n}"
            reply = await http.get("/api/private", headers={"Authorization": f"Bearer {token}"})
            return reply.status_code, time.perf_counter() - started

        pending = [asyncio.ensure_future(private(n)) for n in range(concurrency)]
        await asyncio.to_thread(issuer.was_asked(endpoint).wait, CLIENT_TIMEOUT_S)
        asked = time.perf_counter()
        public = await http.get("/api/public")
        public_ms = (time.perf_counter() - asked) * 1000 if public.status_code == 200 else -1.0
        answers = await asyncio.gather(*pending)
    return list(answers), public_ms


def measure(
    server: HostileServer, endpoint: str, api: ApiName, answer: str, args: argparse.Namespace
) -> Case:
    """One fresh API process against one hostile answer."""
    issuer = server.issuer(**{endpoint: answer})
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        env_file = write_env(Path(folder), issuer)
        log = Path(folder) / f"{api}.log"
        with ApiProcess(ApiConfig(api, 0.0), env_file, log) as process:
            start = process.usage().peak_rss_kib / 1024
            answers, public_ms = asyncio.run(
                load(process.url, issuer, endpoint, api, args.concurrency)
            )
            peak = process.usage().peak_rss_kib / 1024
    statuses = dict(Counter(status for status, _ in answers))
    slowest = max(seconds for _, seconds in answers)
    return Case(endpoint, api, answer, statuses, slowest, public_ms, start, peak)


def markdown(cases: Sequence[Case]) -> str:
    """The cases as a Markdown table."""
    rows = [
        "| fetch | API | answer | statuses | slowest answer s | public route ms "
        "| RSS MiB: start / peak |",
        "| :-- | :-- | :-- | :-- | --: | --: | --: |",
    ]
    for c in cases:
        statuses = ", ".join(f"{n}x {s}" for s, n in sorted(c.statuses.items()))
        rows.append(
            f"| {c.endpoint} | {c.api} | {c.answer} | {statuses} | {c.slowest_s:.2f} | "
            f"{c.public_ms:.1f} | {c.rss_start_mib:.1f} / {c.rss_peak_mib:.1f} |"
        )
    return "\n".join(rows)


def main(argv: Sequence[str]) -> int:
    """Run every case; 0 when every protected answer was a 503 and the public route answered."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=8,
        help="protected requests at once (default: %(default)s)",
    )
    parser.add_argument("--json", type=Path, help="also write the cases as JSON to this file")
    args = parser.parse_args(argv)
    cases = []
    gzip_bomb()  # made before the clock runs: the issuer's cost, not the API's
    with HostileServer() as server:
        for endpoint, apis in CALLS.items():
            for api in apis:
                for answer in FLOODS:
                    print(f"{endpoint} {api} {answer} ...", file=sys.stderr, flush=True)
                    cases.append(measure(server, endpoint, api, answer, args))
    print(markdown(cases))
    if args.json:
        args.json.write_text(
            json.dumps([asdict(c) for c in cases], indent=2) + "\n", encoding="utf-8"
        )
    good = all(set(c.statuses) == {503} and c.public_ms >= 0 for c in cases)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
