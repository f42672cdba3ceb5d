"""The introspection cache (RFC 7662 §4): bounded by TTL, the token's exp, and size."""

from __future__ import annotations

from oauthkit import IntrospectionCache

ACTIVE = {"active": True}


def test_zero_ttl_keeps_nothing() -> None:
    cache = IntrospectionCache(0)
    cache.put("k", ACTIVE, 100.0)
    assert cache.get("k", 100.0) is None


def test_answer_is_kept_until_the_ttl_ends() -> None:
    cache = IntrospectionCache(30)
    cache.put("k", ACTIVE, 100.0)
    assert cache.get("k", 129.9) == ACTIVE
    assert cache.get("k", 130.0) is None


def test_answer_is_dropped_at_the_token_exp_even_within_the_ttl() -> None:
    cache = IntrospectionCache(3600)
    cache.put("k", {"active": True, "exp": 110}, 100.0)
    assert cache.get("k", 109.0) is not None
    assert cache.get("k", 110.0) is None


def test_answer_for_an_already_expired_token_is_not_kept() -> None:
    cache = IntrospectionCache(3600)
    cache.put("k", {"active": True, "exp": 90}, 100.0)
    assert cache.get("k", 100.0) is None


def test_oldest_entries_are_dropped_beyond_the_size_bound() -> None:
    cache = IntrospectionCache(60, max_entries=2)
    for key in ("a", "b", "c"):
        cache.put(key, ACTIVE, 100.0)
    assert [cache.get(k, 101.0) for k in ("a", "b", "c")] == [None, ACTIVE, ACTIVE]
