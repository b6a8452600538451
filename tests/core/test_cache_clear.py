"""cache.clear() on Redis empties this site's keys, not every key of a Redis database it shares."""

import pytest
import redis

from broadsheet.core.cache import ResilientRedisCache

LOCATION = "redis://127.0.0.1:6379/13"


def redis_cache(prefix):
    return ResilientRedisCache(LOCATION, {"KEY_PREFIX": prefix})


@pytest.fixture
def shared_db():
    client = redis.Redis.from_url(LOCATION)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    ResilientRedisCache._down_until = 0.0
    yield client
    for key in client.scan_iter(match="clear-test*"):
        client.unlink(key)


def test_clear_leaves_another_prefix_keys_alone(shared_db):
    ours, theirs = redis_cache("clear-test-ours"), redis_cache("clear-test-theirs")
    for n in range(2500):  # more than one SCAN batch
        ours.set(f"page-{n}", n)
    theirs.set("page-1", "kept")
    shared_db.set("clear-test-unprefixed", "kept")

    assert ours.clear() is True

    assert ours.get("page-1") is None and ours.get("page-2499") is None
    assert theirs.get("page-1") == "kept"
    assert shared_db.get("clear-test-unprefixed") == b"kept"


def test_a_prefix_with_pattern_characters_matches_only_itself(shared_db):
    starry, plain = redis_cache("clear-test-*"), redis_cache("clear-test-x")
    plain.set("k", "kept")
    starry.set("k", "gone")

    starry.clear()

    assert starry.get("k") is None
    assert plain.get("k") == "kept"
