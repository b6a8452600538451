"""Rendered feeds and sitemaps kept in the shared cache until what they show changes.

Two kinds of generation number stamp the cache keys, so a change makes documents stale without
a list of keys to delete:
- the site generation moves on every change to a story, section or tag (feeds, the index, news,
  sections and tags sitemaps carry it);
- each article sitemap page has its own, moved only when a story in its id range changes, so
  publishing today's story leaves the pages of older stories cached.
A scheduled story appears without any save, so nothing is kept past the time the next one is
due: each entry's timeout is the shorter of the setting and the wait for that story.
"""

import hashlib
import math

from django.core.cache import cache
from django.utils import timezone

from broadsheet.newsroom.models import Article

from . import conf

SITE_KEY = "syndication:generation"


def _read(key):
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, timeout=None)
        value = cache.get(key, 1)
    return value


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 2, timeout=None)


def page_key(name, limit, number):
    return f"syndication:generation:{name}:{limit}:{number}"


def site_generation():
    return _read(SITE_KEY)


def page_generation(name, limit, number):
    return _read(page_key(name, limit, number))


def site_changed(**kwargs):
    """Receiver for any newsroom change: site-wide documents are stale from now on."""
    _bump(SITE_KEY)


def articles_changed(article_ids, limit):
    """The article sitemap pages holding these ids are stale from now on."""
    site_changed()
    for number in {(pk - 1) // limit + 1 for pk in article_ids if pk}:
        _bump(page_key("articles", limit, number))


def seconds_until_next_scheduled_story(limit):
    due = Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
    if due is None:
        return limit
    return max(1, min(limit, math.ceil((due - timezone.now()).total_seconds())))


def cached(key, build):
    """build() once per key and timeout, then the cached value (None is never cached)."""
    seconds = conf.cache_seconds()
    if seconds <= 0:
        return build()
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, timeout=seconds_until_next_scheduled_story(seconds))
    return value


def document_key(*parts):
    """A cache key for a document from what it depends on, including this site's address."""
    text = "|".join(str(part) for part in (*parts, conf.site_url()))
    return "syndication:doc:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
