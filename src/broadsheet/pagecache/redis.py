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

import redis as redis_client
from django.conf import settings

from . import conf
from .base import PageStore

logger = logging.getLogger(__name__)


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

    def _read_state(self):
        generation, next_at = self.client.mget(self.generation_key, self.next_key)
        if generation is None:
            self.client.set(self.generation_key, self.initial_generation(), nx=True)
            generation = self.client.get(self.generation_key)
        return int(generation), float(next_at) if next_at is not None else 0.0

    def bump(self, next_at):
        if self.client.get(self.generation_key) is None:
            self.client.set(self.generation_key, self.initial_generation(), nx=True)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.incr(self.generation_key)
            pipe.set(self.next_key, repr(float(next_at)))
            pipe.delete(self.claim_key)
            pipe.publish(self.channel, b"")
            generation, _, _, _ = pipe.execute()
        self._known = (0.0, None)
        if self._watched is not None:  # this worker sees its own change at once
            self._watched = (int(generation), float(next_at))
        return generation

    def claim_rollover(self):
        return bool(self.client.set(self.claim_key, 1, nx=True, ex=5))

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
                    # Subscribed (so no announcement can be missed from here on) or a change was
                    # announced: read the state. Announcements that arrive meanwhile are read next.
                    fresh = self._read_state()
                    known = self._watched
                    if known is None or fresh[0] >= known[0]:  # never step back past our own bump
                        self._watched = fresh
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
