"""Counts in one Redis hash per process group: HINCRBY per read (atomic, about 0.1 ms on a
local Redis); the worker RENAMEs the hash away and reads it, so no read is counted twice."""

import uuid

from django.core.cache import caches

from .. import conf
from .base import Counter


class RedisCounter(Counter):
    def __init__(self):
        self.key = f"{conf.cache_prefix()}:readership:pending"

    def client(self):
        return caches["default"]._cache.get_client(self.key, write=True)

    def add(self, article_id, hour):
        self.client().hincrby(self.key, f"{article_id}:{hour}", 1)

    def drain(self):
        client = self.client()
        taken = f"{self.key}:draining:{uuid.uuid4().hex}"
        try:
            client.rename(self.key, taken)
        except Exception as error:  # no such key: nothing was read since the last drain
            if "no such key" in str(error).lower():
                return {}
            raise
        raw = client.hgetall(taken)
        client.delete(taken)
        counts = {}
        for field, value in raw.items():
            article_id, hour = field.decode().split(":")
            counts[(int(article_id), int(hour))] = int(value)
        return counts

    def restore(self, counts):
        client = self.client()
        pipe = client.pipeline()
        for (article_id, hour), reads in counts.items():
            pipe.hincrby(self.key, f"{article_id}:{hour}", reads)
        pipe.execute()
