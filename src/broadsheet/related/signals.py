"""Signals the related app sends: other apps (the page cache, a CDN purge) listen.

`related_lists_changed` is sent after the commit that changed stored lists, robustly (each
listener's failure is logged, the others still run). Arguments:
- article_ids: the ids of the articles whose shown list changed (rows added, removed or
  reordered; a score alone does not count), or None after a rebuild, when any list may have.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

related_lists_changed = Signal()


def send_lists_changed(article_ids):
    """Send related_lists_changed now (article_ids: ids, or None for every list)."""
    ids = None if article_ids is None else sorted({int(i) for i in article_ids})
    if ids == []:
        return
    for receiver, result in related_lists_changed.send_robust(sender=None, article_ids=ids):
        if isinstance(result, Exception):
            log.error("related_lists_changed: %r failed", receiver, exc_info=result)


def lists_changed_on_commit(article_ids):
    """Send related_lists_changed once the current transaction commits (now, outside one)."""
    ids = None if article_ids is None else list(article_ids)
    if ids == []:
        return
    transaction.on_commit(lambda: send_lists_changed(ids))
