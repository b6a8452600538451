"""Store for several processes or machines: state and pages in the Redis of the default cache.

The state is two small keys read with one MGET per request; a page is fetched from Redis only
when this worker has no copy of it for the current generation.
"""

import pickle
import time

import redis as redis_client
from django.conf import settings

from . import conf
from .base import PageStore


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

    def state(self):
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
            generation, _, _ = pipe.execute()
        self._known = (0.0, None)
        return generation

    def claim_rollover(self):
        return bool(self.client.set(self.claim_key, 1, nx=True, ex=5))

    def get(self, key):
        data = self.client.get(self.prefix + key)
        return pickle.loads(data) if data is not None else None

    def set(self, key, entry, ttl):
        self.client.set(self.prefix + key, pickle.dumps(entry, pickle.HIGHEST_PROTOCOL), ex=max(1, int(ttl)))
