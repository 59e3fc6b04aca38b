"""The in-process caches' bounded LRU (forum.bounded): what it keeps and what it lets go."""
from __future__ import annotations

from forum.bounded import BoundedLRU


def test_the_least_recently_used_entry_goes_first():
    cache: BoundedLRU[str, int] = BoundedLRU(3)
    for number, key in enumerate("abc"):
        cache.put(key, number)
    assert cache.get("a") == 0  # "a" is now the most recently used, "b" the least
    cache.put("d", 3)
    assert cache.get("b") is None
    assert [cache.get(key) for key in "acd"] == [0, 2, 3]
    assert len(cache) == 3


def test_putting_a_kept_key_replaces_its_value_and_refreshes_it():
    cache: BoundedLRU[str, str] = BoundedLRU(2)
    cache.put("a", "old")
    cache.put("b", "kept")
    cache.put("a", "new")  # "b" is now the least recently used
    cache.put("c", "third")
    assert cache.get("b") is None
    assert cache.get("a") == "new"
    assert len(cache) == 2


def test_it_never_holds_more_than_its_capacity_under_churn():
    cache: BoundedLRU[tuple, int] = BoundedLRU(50)
    for number in range(5_000):
        cache.put(("page", number % 173), number)
        cache.get(("page", (number * 7) % 173))
        if number % 11 == 0:
            cache.discard(("page", number % 31))
        assert len(cache) <= 50
    # The 50 most recently put keys that weren't discarded afterwards are all there.
    assert cache.get(("page", 4_999 % 173)) == 4_999


def test_discard_and_clear():
    cache: BoundedLRU[str, int] = BoundedLRU(4)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.discard("a")
    cache.discard("missing")  # nothing to drop: no error
    assert cache.get("a") is None and cache.get("b") == 2
    cache.clear()
    assert len(cache) == 0 and cache.get("b") is None
