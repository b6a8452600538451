"""Store for several processes or machines: state and pages in the Redis of the default cache.

The state is two small keys. Each worker process keeps a subscription to a channel on which
every bump() announces itself, and a thread that re-reads the state when an announcement
arrives; while that subscription is up, reading the state costs no round trip at all, so a
cached page is answered from the worker's memory without asking Redis anything. Other workers
see a change as soon as Redis delivers the announcement (well under a millisecond here); the
worker that made the change sees it at once. Whenever the subscription is down (Redis restarted,
the network dropped) the state is read with one MGET per request, as it is with
BROADSHEET_PAGECACHE_REDIS_WATCH=False. A page is fetched from Redis only when this worker has
no copy of it for the current generation.
"""

import logging
import os
import pickle
import threading
import time
from array import array

import redis as redis_client
from django.conf import settings

from . import conf
from .base import SLOTS, PageStore

logger = logging.getLogger(__name__)

# KEYS: counter, slots hash, next time, rollover claim, channel; ARGV: next time ("" keeps it),
# slots. The announcement carries the counter, the next time and the slots, so watchers apply it
# without reading anything back.
_PURGE = """
local counter = redis.call('INCR', KEYS[1])
for i = 2, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], counter) end
if ARGV[1] ~= '' then
  redis.call('SET', KEYS[3], ARGV[1])
  redis.call('DEL', KEYS[4])
end
local next_at = redis.call('GET', KEYS[3]) or '0'
local slots = {}
for i = 2, #ARGV do slots[#slots + 1] = ARGV[i] end
redis.call('PUBLISH', KEYS[5], counter .. ' ' .. next_at .. ' ' .. table.concat(slots, ','))
return counter
"""


class RedisStore(PageStore):
    def __init__(self, alias="default"):
        config = settings.CACHES[alias]
        location = config["LOCATION"]
        if isinstance(location, list | tuple):
            location = location[0]
        options = config.get("OPTIONS", {})
        self.client = redis_client.Redis.from_url(
            location,
            socket_timeout=options.get("socket_timeout", 0.5),
            socket_connect_timeout=options.get("socket_connect_timeout", 0.5),
        )
        self.prefix = f"{config.get('KEY_PREFIX', '')}:pagecache:"
        self.generation_key = self.prefix + "generation"
        self.next_key = self.prefix + "next"
        self.claim_key = self.prefix + "rollover"
        self.slots_key = self.prefix + "slots"
        self._purge_script = self.client.register_script(_PURGE)
        self._marks = array("Q", bytes(8 * SLOTS))  # the purge marks, while watching
        # 0 (the default): ask Redis on every request. A few hundredths of a second spare a round
        # trip per hit on a busy machine, at the price of other workers seeing a change that late.
        self.state_max_age = conf.redis_state_seconds()
        self._known = (0.0, None)
        self.channel = self.prefix + "changed"
        self.watch = conf.redis_watch()
        self._watched = None  # the state as last announced, while the subscription is up
        self._watcher_pid = None
        self._lock = threading.Lock()

    def state(self):
        if self.watch:
            if self._watcher_pid != os.getpid():
                self._start_watching()
            watched = self._watched
            if watched is not None:
                return watched
        if self.state_max_age:
            read_at, known = self._known
            if known is not None and time.monotonic() - read_at < self.state_max_age:
                return known
        known = self._read_state()
        self._known = (time.monotonic(), known)
        return known

    def purged(self, slots):
        if self._watched is not None and self._watcher_pid == os.getpid():
            marks = self._marks
            return max((marks[s] for s in slots), default=0)
        if not slots:
            return 0
        return max(int(v or 0) for v in self.client.hmget(self.slots_key, [str(s) for s in slots]))

    def _read_state(self):
        generation, next_at = self.client.mget(self.generation_key, self.next_key)
        if generation is None:
            self.client.set(self.generation_key, self.initial_generation(), nx=True)
            generation = self.client.get(self.generation_key)
        return int(generation), float(next_at) if next_at is not None else 0.0

    def purge(self, slots, next_at=None):
        if self.client.get(self.generation_key) is None:
            self.client.set(self.generation_key, self.initial_generation(), nx=True)
        # The slots are marked with the new counter inside one script, so no reader sees the
        # counter move before the marks (a page rendered in between would pass as current).
        counter = int(
            self._purge_script(
                keys=[self.generation_key, self.slots_key, self.next_key, self.claim_key, self.channel],
                args=["" if next_at is None else repr(float(next_at)), *slots],
            )
        )
        self._known = (0.0, None)
        if self._watched is not None:  # this worker sees its own change at once
            for s in slots:
                self._marks[s] = counter
            self._watched = (counter, self._watched[1] if next_at is None else float(next_at))
        return counter

    def claim_rollover(self):
        return bool(self.client.set(self.claim_key, 1, nx=True, ex=5))

    def claim(self, key, seconds):
        return bool(self.client.set(self.prefix + "render:" + key, 1, nx=True, ex=max(1, int(seconds))))

    def release(self, key):
        self.client.delete(self.prefix + "render:" + key)

    def get(self, key):
        data = self.client.get(self.prefix + key)
        return pickle.loads(data) if data is not None else None

    def set(self, key, entry, ttl):
        self.client.set(self.prefix + key, pickle.dumps(entry, pickle.HIGHEST_PROTOCOL), ex=max(1, int(ttl)))

    # --- the subscription ---------------------------------------------------------------------

    def _start_watching(self):
        """One watcher thread per process (a forked worker starts its own)."""
        with self._lock:
            if self._watcher_pid == os.getpid():
                return
            self._watcher_pid = os.getpid()
            self._watched = None
            thread = threading.Thread(target=self._watch, name="pagecache-redis-watch", daemon=True)
            thread.start()

    def _watch(self):
        pid = os.getpid()
        pause = 0.05
        while self._watcher_pid == pid:
            pubsub = None
            try:
                pubsub = self.client.pubsub(ignore_subscribe_messages=False)
                pubsub.subscribe(self.channel)
                while self._watcher_pid == pid:
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message.get("type") == "message" and self._watched is not None:
                        self._apply(message["data"])
                    else:
                        # Subscribed (so no announcement can be missed from here on): read it all.
                        self._read_everything()
                    pause = 0.05
            except Exception as error:
                self._watched = None  # fall back to reading the state on every request
                logger.warning("page cache: Redis subscription lost (%s); retrying", type(error).__name__)
                time.sleep(pause)
                pause = min(pause * 2, 2.0)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:
                        pass

    def _read_everything(self):
        marks = array("Q", bytes(8 * SLOTS))
        for slot, value in self.client.hgetall(self.slots_key).items():
            marks[int(slot)] = int(value)
        fresh = self._read_state()
        self._marks = marks
        known = self._watched
        if known is None or fresh[0] >= known[0]:  # never step back past our own purge
            self._watched = fresh

    def _apply(self, data):
        counter, next_at, slots = data.decode().split(" ", 2)
        counter = int(counter)
        marks = self._marks
        for slot in slots.split(","):
            if slot:
                marks[int(slot)] = max(marks[int(slot)], counter)
        known = self._watched
        if known is None or counter >= known[0]:
            self._watched = (counter, float(next_at))
