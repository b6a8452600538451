"""With Redis gone, the site keeps serving from the database: the cache answers "miss"."""

import pytest
from django.core.cache.backends.base import DEFAULT_TIMEOUT

from broadsheet.core.cache import ResilientRedisCache
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_redis(settings):
    # Port 1 on loopback: nothing listens there, so every connection is refused at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "broadsheet.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    from django.core.cache import caches

    caches._settings = caches.settings = caches.configure_settings(None)
    ResilientRedisCache._down_until = 0.0  # another test's outage must not open this one's breaker
    yield caches["default"]
    ResilientRedisCache._down_until = 0.0


def test_cache_operations_degrade_to_misses(dead_redis):
    assert dead_redis.get("x", "fallback") == "fallback"
    assert dead_redis.add("x", 1) is False
    assert dead_redis.set("x", 1, DEFAULT_TIMEOUT) is None
    assert dead_redis.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError):
        dead_redis.incr("x")


def test_pages_and_forms_work_with_redis_stopped(client, dead_redis):
    article = make_article("Served without a cache")
    assert client.get("/").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_programming_error_is_raised_not_taken_for_a_miss(dead_redis):
    import pickle

    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        dead_redis.set("x", lambda: "cannot be pickled", DEFAULT_TIMEOUT)
    with pytest.raises(TypeError):
        dead_redis.get_many(None)
