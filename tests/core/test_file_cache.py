"""The file cache (the store without Redis) writes without listing its folder each time, and a
full cache drops its expired entries before any live one.

Django's FileBasedCache listed every entry on every set(): with 17,000 entries a home page
render under load waited seconds for its own writes (found by the churn benchmark through
Varnish). These tests count the listings instead of timing them."""

import os
import threading
import time

import pytest

from broadsheet.core.cache import FileCache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A cache folder whose counts run in the writer's thread, so a test sees their effect at
    once (the last test checks the thread of their own)."""
    monkeypatch.setattr(FileCache, "count_in_background", False)
    FileCache._room.pop(str(tmp_path / "cache"), None)
    yield tmp_path / "cache"
    FileCache._room.pop(str(tmp_path / "cache"), None)


def file_cache(folder, **options):
    return FileCache(str(folder), {"TIMEOUT": 300, "OPTIONS": options})


@pytest.fixture
def listings(monkeypatch):
    """How many times the cache folder was listed."""
    count = {"n": 0, "threads": set()}
    real = os.scandir

    def counting(path=".", *args):
        count["n"] += 1
        count["threads"].add(threading.current_thread().name)
        return real(path, *args)

    monkeypatch.setattr(os, "scandir", counting)
    return count


def entries(folder):
    return [name for name in os.listdir(folder) if name.endswith(".djcache")]


def test_writes_below_the_limit_rarely_list_the_folder(folder, listings):
    cache = file_cache(folder, MAX_ENTRIES=20000)
    for n in range(2000):
        cache.set(f"page-{n}", n)

    # Django's own backend listed it 2,000 times here, once per write.
    assert listings["n"] <= 10
    assert len(entries(folder)) == 2000
    assert cache.get("page-0") == 0 and cache.get("page-1999") == 1999


def test_a_full_cache_is_kept_near_its_limit(folder, listings):
    cache = file_cache(folder, MAX_ENTRIES=2000, CULL_FREQUENCY=3)
    most = 0
    for n in range(8000):
        cache.set(f"page-{n}", n)
        if n % 100 == 0:
            most = max(most, len(entries(folder)))
    listed = listings["n"]

    # Counted often enough that it never grows past the limit (one process writing here)...
    assert max(most, len(entries(folder))) <= 2000
    # ...and far less often than once per write.
    assert listed < 8000 / 10
    assert cache.get("page-7999") == 7999


def test_expired_entries_go_before_live_ones(folder):
    cache = file_cache(folder, MAX_ENTRIES=100, CULL_FREQUENCY=3)
    for n in range(60):
        cache.set(f"old-{n}", n, timeout=1)
    for n in range(39):
        cache.set(f"live-{n}", n, timeout=300)
    time.sleep(1.1)

    for n in range(39, 50):  # the cache fills while these are written
        cache.set(f"live-{n}", n, timeout=300)

    # The 60 expired entries made the room; every live one is still there.
    assert all(cache.get(f"live-{n}") == n for n in range(50))
    assert len(entries(folder)) == 50


def test_random_live_entries_go_only_when_nothing_has_expired(folder):
    cache = file_cache(folder, MAX_ENTRIES=90, CULL_FREQUENCY=3)
    for n in range(200):
        cache.set(f"live-{n}", n)

    left = entries(folder)
    assert 0 < len(left) <= 90
    assert sum(cache.get(f"live-{n}") is not None for n in range(200)) == len(left)


def test_a_cull_frequency_of_zero_empties_the_full_cache(folder):
    cache = file_cache(folder, MAX_ENTRIES=20, CULL_FREQUENCY=0)
    for n in range(25):
        cache.set(f"page-{n}", n)

    assert len(entries(folder)) <= 20
    assert cache.get("page-24") == 24


def test_the_site_uses_it_without_redis(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    if "Redis" in backend:
        pytest.skip("this run uses Redis")
    assert backend == "broadsheet.core.cache.FileCache"


def test_writers_never_count_the_folder_themselves(folder, listings, monkeypatch):
    monkeypatch.setattr(FileCache, "count_in_background", True)
    cache = file_cache(folder, MAX_ENTRIES=200, CULL_FREQUENCY=3)
    for n in range(600):
        cache.set(f"page-{n}", n)
        if n % 50 == 0:  # give the counting thread its turn, as requests between writes do
            time.sleep(0.05)
    deadline = time.monotonic() + 10
    while FileCache._counting.get(str(folder)) and time.monotonic() < deadline:
        time.sleep(0.01)

    assert listings["n"] > 0
    assert listings["threads"] == {"file-cache-cull"}  # never the thread that wrote, one at a time
    assert len(entries(folder)) < 600  # and the counts culled it
    assert cache.get("page-599") == 599
