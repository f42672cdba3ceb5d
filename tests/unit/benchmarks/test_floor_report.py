"""The floor's report: three routes, the differences between them, the pieces of the check."""

from __future__ import annotations

from benchmarks.api_process import REPO
from benchmarks.floor import report
from benchmarks.profile import shares


def test_the_report_shows_each_route_and_what_each_step_adds() -> None:
    document = {
        "routes": {
            "/api/public": [50.0, 52.0, 60.0],
            "/api/one-dependency": [70.0, 72.0, 71.0],
            "/api/private": [90.0, 91.0, 95.0],
        },
        "pieces": {"validate the answer (RFC 7662 §2.2)": 9.04},
    }
    text = report(document)
    assert "| `/api/public` | 52.0 (50.0-60.0) |" in text
    assert "FastAPI resolving one dependency: 19.0 us per request" in text
    assert "oauthkit's check of a cached token, beyond that: 20.0 us" in text
    assert "cached / public, in process: 1.75x" in text
    assert "| validate the answer (RFC 7662 §2.2) | 9.0 |" in text


def test_profile_shares_group_own_time_by_package_largest_first() -> None:
    repo = str(REPO)
    stats = {
        ("/venv/lib/python3.11/site-packages/fastapi/routing.py", 1, "app"): (1, 1, 3.0, 3.0),
        ("/venv/lib/python3.11/site-packages/fastapi/utils.py", 2, "solve"): (1, 1, 1.0, 1.0),
        (f"{repo}/oauthkit/validation.py", 3, "validate"): (1, 1, 0.5, 0.5),
        ("~", 0, "<built-in method builtins.isinstance>"): (1, 1, 0.4, 0.4),
        ("/usr/lib/python3.11/asyncio/events.py", 4, "_run"): (1, 1, 0.1, 0.1),
    }
    assert [(name, round(share)) for name, share in shares(stats)] == [
        ("fastapi", 80), ("oauthkit", 10), ("built-ins (C)", 8), ("stdlib", 2)
    ]  # fmt: skip
