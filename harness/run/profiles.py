"""Profiles: which checks a run takes. ``full`` (the default) every one; ``quick`` for pre-commit.

``quick`` keeps the positive checks, RFC 6750's answers, the core negative ones (a revoked,
expired or foreign-audience token, no role, the classic mistakes of local JWT validation:
``alg`` none, HS256 with the public key, another key under the issuer's ``kid``, a wrong
``iss`` or ``aud``, an expired or not-yet-valid token) and the no-secrets check, in every cell;
no check that waits (`Check.waits`: a deadline, a cache TTL, a key-set cooldown, an API's
start) and none that starts another instance of the API. It misses the issuer's faults and
lies, the propagation figures, the API's own calls to the issuer and the key set's rotation:
a run to catch a regression in seconds, not a verdict on the API.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.checks import ALL_CHECKS, Check
from harness.checks.base import Sharing

PROFILES = ("full", "quick")
QUICK_FAMILIES = frozenset({"rfc6750", "tokens", "roles", "leaks"})
LOCAL_JWT_CORE = frozenset(
    {
        "RFC9068-4-opaque-token",
        "RFC8725-3.1-alg-none",
        "RFC8725-2.1-hs256-public-key",
        "RFC7515-5.2-foreign-key-known-kid",
        "RFC9068-4-wrong-issuer",
        "RFC9068-4-wrong-audience",
        "RFC7519-4.1.4-expired-jwt",
        "RFC7519-4.1.5-not-yet-valid",
    }
)
_STARTS_ONE = frozenset({Sharing.NEW_INSTANCE, Sharing.DISCOVERY})


def is_quick(check: Check) -> bool:
    """Whether ``check`` belongs to the quick profile."""
    if check.waits or check.sharing in _STARTS_ONE:
        return False
    return check.family in QUICK_FAMILIES or check.id in LOCAL_JWT_CORE


def profile_checks(profile: str, chosen: Sequence[Check] = ALL_CHECKS) -> tuple[Check, ...]:
    """The ``chosen`` checks that ``profile`` takes; ValueError naming the profiles."""
    if profile == "full":
        return tuple(chosen)
    if profile == "quick":
        kept = tuple(check for check in chosen if is_quick(check))
        if not kept:
            raise ValueError("--checks: none of the checks given is in the quick profile")
        return kept
    raise ValueError(f"--profile {profile!r}: choose {' or '.join(PROFILES)}")
