"""A Redis cache that degrades to "no cache" when Redis is away, instead of failing the request,
and `count_hit`, an atomic counter on any cache backend (rate limits).

Every cache use in Broadsheet is an optimisation or a soft limit, so a miss is always a safe
answer. After a failure the backend stops asking Redis for RETRY_AFTER seconds (a small
circuit breaker), so a stopped Redis costs one refused connection per second, not one per call.
"""

import fcntl
import logging
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
RETRY_AFTER = 1.0
# Only the backend being unreachable is a miss. Anything else (a value that cannot be pickled,
# a wrong argument, incr() of a missing key) is an answer or a bug, and is raised as it is.
CONNECTION_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def _guard(self, default, method, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return method(*args, **kwargs)
        except CONNECTION_ERRORS as error:  # Redis away or too slow: treat as a miss
            if time.monotonic() >= self._down_until:
                logger.warning("Cache unavailable (%s); serving without it", type(error).__name__)
            type(self)._down_until = time.monotonic() + RETRY_AFTER
            return default

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._guard(None, super().incr, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found or cache unavailable.")
        return result

    def clear(self):
        """Empty this site's keys only. Several sites, or the processes of a parallel test run,
        may share one Redis database under different key prefixes, and FLUSHDB would empty
        theirs too; without a prefix the whole database is this site's."""
        if not self.key_prefix:
            return self._guard(False, super().clear)
        return self._guard(False, self._clear_prefix)

    def _clear_prefix(self):
        client = self._cache.get_client(None, write=True)
        pattern = _glob_escape(self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.unlink(*batch)
                batch = []
        if batch:
            client.unlink(*batch)
        return True


def _glob_escape(text):
    """`text` as a Redis MATCH pattern that matches only itself."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


def count_hit(cache, key, *, timeout):
    """Add one to the counter `key` and return its new value, atomically across threads,
    processes and (with Redis) servers; None when the cache cannot answer.

    Django's add() then incr() is two steps, and on the file cache incr() is itself a read then
    a write (which also resets the key's timeout): requests arriving together all read the
    same count. Redis counts in one MULTI block; other backends count under an OS file lock
    that every process of this machine shares."""
    try:
        if isinstance(cache, RedisCache):
            if isinstance(cache, ResilientRedisCache) and time.monotonic() < cache._down_until:
                return None
            redis_key = cache.make_and_validate_key(key)
            client = cache._cache.get_client(redis_key, write=True)
            pipe = client.pipeline(transaction=True)
            pipe.set(redis_key, 0, ex=int(timeout), nx=True)
            pipe.incr(redis_key)
            return int(pipe.execute()[1])
        lock_path = settings.DATA_DIR / "counters.lock"
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                count = int(cache.get(key) or 0) + 1
                cache.set(key, count, timeout=timeout)
                return count
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    except Exception as error:  # an outage: the caller decides what "unknown" means
        if isinstance(cache, ResilientRedisCache):
            if time.monotonic() >= cache._down_until:
                logger.warning("Counter unavailable (%s)", type(error).__name__)
            type(cache)._down_until = time.monotonic() + RETRY_AFTER
        else:
            logger.warning("Counter unavailable (%s)", type(error).__name__)
        return None
