"""Store for one machine without Redis: state in a memory-mapped file, pages in the default cache.

Reading the state is a few loads from shared memory (no system call), so a cache hit costs no
file access once the worker holds the page in memory. Writers take an exclusive file lock and
publish under a sequence counter (a seqlock), so readers never see half of an update.
"""

import fcntl
import mmap
import os
import struct
import time

from django.core.cache import caches

from . import conf
from .base import PageStore

# sequence (odd while a writer is busy), generation, next scheduled time, rollover claimed until
LAYOUT = struct.Struct("<QQdd")
SEQ = struct.Struct("<Q")
FILE_SIZE = 4096


class LocalStore(PageStore):
    def __init__(self, path=None, cache_alias="default"):
        self.path = str(path or conf.state_path())
        self.cache = caches[cache_alias]
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        with self._locked():
            if os.fstat(self._fd).st_size < FILE_SIZE:
                os.ftruncate(self._fd, FILE_SIZE)
            self._map = mmap.mmap(self._fd, FILE_SIZE)
            _seq, generation, _next, _claim = LAYOUT.unpack_from(self._map)
            if generation == 0:
                self._write(self.initial_generation(), 0.0, 0.0)

    def _locked(self):
        return _FileLock(self._fd)

    def _read(self):
        buf = self._map
        while True:
            seq, generation, next_at, claim = LAYOUT.unpack_from(buf)
            if seq & 1 == 0 and SEQ.unpack_from(buf)[0] == seq:
                return generation, next_at, claim
            time.sleep(0)

    def _write(self, generation, next_at, claim):
        seq = SEQ.unpack_from(self._map)[0]
        SEQ.pack_into(self._map, 0, seq + 1)
        LAYOUT.pack_into(self._map, 0, seq + 1, generation, next_at, claim)
        SEQ.pack_into(self._map, 0, seq + 2)

    def state(self):
        generation, next_at, _claim = self._read()
        return generation, next_at

    def bump(self, next_at):
        with self._locked():
            generation, _next, _claim = self._read()
            self._write(generation + 1, next_at, 0.0)
            return generation + 1

    def claim_rollover(self):
        now = time.time()
        with self._locked():
            generation, next_at, claim = self._read()
            if claim > now:
                return False
            self._write(generation, next_at, now + 5)
            return True

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
