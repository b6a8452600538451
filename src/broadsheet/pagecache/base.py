"""The shared page store's interface, and the small in-process layer in front of it.

A store keeps two kinds of thing, shared by every worker process:
- the *state*: a counter (moved by every purge), the time of the next scheduled story (no entry
  is served at or after it until the state is refreshed), and a table of purge marks: each
  surrogate key hashes to one of SLOTS slots, and purging a key writes the new counter into its
  slot;
- the *entries*: one rendered page per key, tagged with the counter read before it was rendered
  and the slots of the surrogate keys it declared.

An entry is current while none of its slots was purged after it was rendered (every slot value
<= its counter). Two keys sharing a slot only cost an extra render, never a stale page. An entry
is never changed once stored, so each worker may keep a copy in its own memory (`MemoryLayer`).
"""

import hashlib
import threading
import time

FOREVER = float("inf")
SLOTS = 16384


def slot_of(key):
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "little") % SLOTS


def slots_of(keys):
    return tuple(sorted({slot_of(k) for k in keys}))


class PageStore:
    """One shared store; subclasses implement the methods below."""

    def state(self):
        """Return (counter, next_scheduled_at) - next_scheduled_at is a Unix time, 0 if unknown."""
        raise NotImplementedError

    def purged(self, slots):
        """The highest purge mark among `slots` (0 when none was ever purged)."""
        raise NotImplementedError

    def purge(self, slots, next_at=None):
        """Mark `slots` purged now (and remember the next scheduled time, unless None); return
        the new counter."""
        raise NotImplementedError

    def bump(self, next_at):
        """Purge every page (every entry carries the ALL key); return the new counter."""
        from broadsheet.core.surrogates import ALL

        return self.purge(slots_of([ALL]), next_at)

    def claim(self, key, seconds):
        """True for one caller at a time per key (for `seconds` at most): that one renders it."""
        raise NotImplementedError

    def release(self, key):
        raise NotImplementedError

    def is_current(self, generation, slots):
        return self.purged(slots) <= generation

    def claim_rollover(self):
        """True for exactly one caller at a time: that caller refreshes the state (then bump())."""
        raise NotImplementedError

    def get(self, key):
        """The Entry stored under `key` (a short hex digest), or None."""
        raise NotImplementedError

    def set(self, key, entry, ttl):
        raise NotImplementedError

    @staticmethod
    def initial_generation():
        # Time-based, so a store that lost its state never reuses an old generation number.
        return int(time.time() * 1000)


class MemoryLayer:
    """A worker's own copy of recently used entries, bounded in bytes (oldest dropped first)."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._entries = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        return self._entries.get(key)

    def set(self, key, entry):
        size = entry.size
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            while self._entries and self._bytes + size > self.max_bytes:
                _, dropped = self._pop_oldest()
                self._bytes -= dropped.size
            self._entries[key] = entry
            self._bytes += size

    def _pop_oldest(self):
        key = next(iter(self._entries))
        return key, self._entries.pop(key)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0
