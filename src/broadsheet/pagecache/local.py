"""Store for one machine without Redis: state in a memory-mapped file, pages in the default cache.

Reading the state or a purge mark is a load from shared memory (no system call), so a cache hit
costs no file access once the worker holds the page in memory. Writers serialise on flock(),
which the kernel releases when its holder dies, and readers never wait for anyone: each value
is one aligned 8-byte word, and a purge writes the slots before the counter, so a reader that
sees a half-done purge only treats a page as stale a moment early.
"""

import fcntl
import mmap
import os
import struct
import time

from django.core.cache import caches

from . import conf
from .base import SLOTS, PageStore

# counter, next scheduled time, rollover claimed until; the purge marks start at OFFSET
HEADER = struct.Struct("<Qdd")
SLOT = struct.Struct("<Q")
OFFSET = 64
FILE_SIZE = OFFSET + SLOT.size * SLOTS


class LocalStore(PageStore):
    def __init__(self, path=None, cache_alias="default"):
        self.path = str(path or conf.state_path())
        self.cache = caches[cache_alias]
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        with self._locked():
            if os.fstat(self._fd).st_size < FILE_SIZE:
                os.ftruncate(self._fd, FILE_SIZE)
            self._map = mmap.mmap(self._fd, FILE_SIZE)
            counter, _next, _claim = HEADER.unpack_from(self._map)
            if counter == 0:
                HEADER.pack_into(self._map, 0, self.initial_generation(), 0.0, 0.0)

    def _locked(self):
        return _FileLock(self._fd)

    def state(self):
        counter, next_at, _claim = HEADER.unpack_from(self._map)
        return counter, next_at

    def purged(self, slots):
        buf = self._map
        unpack = SLOT.unpack_from
        return max((unpack(buf, OFFSET + 8 * s)[0] for s in slots), default=0)

    def purge(self, slots, next_at=None):
        with self._locked():
            counter, known_next, claim = HEADER.unpack_from(self._map)
            counter += 1
            for s in slots:
                SLOT.pack_into(self._map, OFFSET + 8 * s, counter)
            HEADER.pack_into(
                self._map, 0, counter, known_next if next_at is None else next_at, 0.0 if next_at is not None else claim
            )
            return counter

    def claim_rollover(self):
        now = time.time()
        with self._locked():
            counter, next_at, claim = HEADER.unpack_from(self._map)
            if claim > now:
                return False
            HEADER.pack_into(self._map, 0, counter, next_at, now + 5)
            return True

    def claim(self, key, seconds):
        # The file cache's add() is a look then a write: two workers could both win. Counting
        # under the OS file lock is one step, so exactly one of them sees 1.
        from broadsheet.core.cache import count_hit

        count = count_hit(self.cache, "pagecache:render:" + key, timeout=seconds)
        return count is None or count == 1

    def release(self, key):
        self.cache.delete("pagecache:render:" + key)

    def get(self, key):
        return self.cache.get("pagecache:" + key)

    def set(self, key, entry, ttl):
        self.cache.set("pagecache:" + key, entry, ttl)


class _FileLock:
    def __init__(self, fd):
        self.fd = fd

    def __enter__(self):
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
