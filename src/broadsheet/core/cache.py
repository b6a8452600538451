"""A Redis cache that degrades to "no cache" when Redis is away, instead of failing the request;
a file cache whose writes do not list its folder; and `count_hit`, an atomic counter on any
cache backend (rate limits).

Every cache use in Broadsheet is an optimisation or a soft limit, so a miss is always a safe
answer. After a failure the backend stops asking Redis for RETRY_AFTER seconds (a small
circuit breaker), so a stopped Redis costs one refused connection per second, not one per call.
"""

import fcntl
import logging
import os
import pickle
import random
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
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


class FileCache(FileBasedCache):
    """Django's file cache without its cost per write: FileBasedCache lists the whole folder on
    every set() to see whether it is full (36 ms at 17,000 entries on a quiet machine, seconds
    on a busy one) and culls it in the same call, while a page render, a render claim and a
    rate-limit count each write (the count under a lock every process shares).

    Here a write never lists the folder. Each process counts it again, in a thread of its own,
    after writing an eighth of the room the last count left, so the counts come closer
    together as the cache fills (a few dozen between two culls, not one per write). A cull
    removes the expired entries first and then, if still needed, random live ones, down to
    MAX_ENTRIES less its CULL_FREQUENCY share (Django drops random entries, live pages among
    them, while expired ones stay). Between counts a cache may pass MAX_ENTRIES by what the
    processes write meanwhile."""

    # Per process and folder, shared by every thread's instance: (room, writes since counted)
    # and the process counting it now.
    _room = {}
    _counting = {}
    _room_lock = threading.Lock()
    count_in_background = True  # tests count in the writer's thread to check what a count does

    def _cull(self):
        with self._room_lock:
            room, writes = self._room.get(self._dir, (0, 0))
            writes += 1
            self._room[self._dir] = (room, writes)
            if writes <= room // 8:
                return
            if self._counting.get(self._dir) == os.getpid():  # (a count from before a fork is not)
                return
            self._counting[self._dir] = os.getpid()
        if self.count_in_background:
            threading.Thread(target=self._count_and_cull, name="file-cache-cull", daemon=True).start()
        else:
            self._count_and_cull()

    def _count_and_cull(self):
        try:
            self._count_and_cull_now()
        finally:
            with self._room_lock:
                self._counting.pop(self._dir, None)

    def _count_and_cull_now(self):
        try:
            entries = self._entry_names()
            if len(entries) >= self._max_entries:
                if self._cull_frequency == 0:
                    self.clear()
                    entries = []
                else:
                    keep = self._max_entries - self._max_entries // self._cull_frequency
                    entries = self._cull_to(entries, keep)
        except Exception:  # a cull is housekeeping: the next count tries again
            logger.warning("file cache: could not count or cull %s", self._dir, exc_info=True)
            return
        with self._room_lock:
            self._room[self._dir] = (max(0, self._max_entries - len(entries)), 0)

    def _entry_names(self):
        try:
            with os.scandir(self._dir) as found:
                return [entry.name for entry in found if entry.name.endswith(self.cache_suffix)]
        except FileNotFoundError:
            return []

    def _cull_to(self, names, keep):
        """Remove expired entries, then random live ones until at most `keep` remain; returns
        the names left."""
        now = time.time()
        live = []
        for name in names:
            path = os.path.join(self._dir, name)
            try:
                with open(path, "rb") as f:
                    expiry = pickle.load(f)
            except FileNotFoundError:
                continue  # removed meanwhile by another process
            except Exception:  # a file being written, or not ours: an entry like the others
                expiry = None
            if expiry is not None and expiry < now:
                self._delete(path)
            else:
                live.append(name)
        if len(live) > keep:
            gone = set(random.sample(live, len(live) - keep))
            for name in gone:
                self._delete(os.path.join(self._dir, name))
            live = [name for name in live if name not in gone]
        return live

    def _list_cache_files(self):
        return [os.path.join(self._dir, name) for name in self._entry_names()]


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
