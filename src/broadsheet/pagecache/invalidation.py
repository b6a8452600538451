"""When content changes, every cached page goes stale: one generation number, bumped after commit.

A page lists many stories (home, sections, tags, feeds, sitemaps), so working out which pages
one edit touches is error-prone; starting a new generation is simple and always right, and the
pages readers ask for are rendered again once each.
"""

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from broadsheet.newsroom.signals import article_changed, articles_deleted, articles_loaded

from . import conf, get_store
from .base import FOREVER

logger = logging.getLogger(__name__)


def next_scheduled_at():
    """Unix time of the next scheduled story, or infinity when none is waiting."""
    from broadsheet.newsroom.models import Article

    at = Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
    return at.timestamp() if at else FOREVER


def invalidate():
    """Start a new generation now and look up the next scheduled story."""
    try:
        get_store().bump(next_scheduled_at())
    except Exception:  # a cache that is down must not fail the save that called us
        logger.exception("page cache: could not start a new generation")


def roll_over(store):
    """The next scheduled story is due: one process starts a new generation, the others wait
    for it. Returns the state as it is now (still due if the claimant has not finished)."""
    if store.claim_rollover():
        invalidate()
    return store.state()


def invalidate_on_commit():
    """Invalidate once the current transaction commits: a page rendered before then is never kept."""
    transaction.on_commit(invalidate)


def _model_changed(sender, **kwargs):
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in _watched or meta.label_lower in conf.IGNORED_MODELS:
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return
    invalidate_on_commit()


def _content_changed(sender, **kwargs):
    invalidate_on_commit()


_watched = frozenset()


def connect():
    global _watched
    _watched = conf.watched_apps()
    post_save.connect(_model_changed, dispatch_uid="pagecache.post_save")
    post_delete.connect(_model_changed, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(_model_changed, dispatch_uid="pagecache.m2m_changed")
    for signal in (article_changed, articles_deleted, articles_loaded):
        signal.connect(_content_changed, dispatch_uid=f"pagecache.{id(signal)}")
