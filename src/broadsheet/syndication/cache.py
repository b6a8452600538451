"""Rendered sitemaps kept in the shared cache until the newsroom changes or a few minutes pass.

Every change to a story, section or tag moves a generation number; cached documents carry the
number in their key, so a change makes all of them stale at once without a list of keys. The
timeout bounds how late a scheduled story (which appears without any save) shows up.
"""

from django.core.cache import cache

from . import conf

GENERATION_KEY = "syndication:generation"


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def newsroom_changed(**kwargs):
    """Receiver for newsroom changes: every cached sitemap is stale from now on."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 1, timeout=None)


def cached(name, build):
    """build() once per generation and timeout, then the cached text."""
    seconds = conf.cache_seconds()
    if seconds <= 0:
        return build()
    key = f"syndication:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=seconds)
    return value
