"""The shared page store's interface, and the small in-process layer in front of it.

A store keeps two kinds of thing, shared by every worker process:
- the *state*: a generation number (part of every entry; bumped on every content change) and
  the time of the next scheduled story (no entry is served at or after it until the state is
  refreshed);
- the *entries*: one rendered page per key, tagged with the generation it was rendered under.

An entry is never changed once stored, so each worker may keep a copy in its own memory
(`MemoryLayer`) and only has to read the small state from the shared store on each request.
"""

import threading
import time

FOREVER = float("inf")


class PageStore:
    """One shared store; subclasses implement the five methods below."""

    def state(self):
        """Return (generation, next_scheduled_at) - next_scheduled_at is a Unix time, 0 if unknown."""
        raise NotImplementedError

    def bump(self, next_at):
        """Start a new generation and remember the next scheduled time; return the new generation."""
        raise NotImplementedError

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
