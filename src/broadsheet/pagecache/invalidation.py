"""Purging the built-in caches by surrogate key, and the roll-over when a scheduled story is due.

The edge app decides which keys a change touches and calls `purge(keys)` after commit; every page
and fragment that declared one of them is stale from then on, everything else stays cached.
"""

import logging

from broadsheet.core import surrogates

from . import get_store
from .base import FOREVER, slots_of

logger = logging.getLogger(__name__)


def next_scheduled_at():
    """Unix time of the next scheduled story, or infinity when none is waiting."""
    from broadsheet.newsroom.models import Article

    at = Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
    return at.timestamp() if at else FOREVER


def purge(keys, *, reschedule=False):
    """Make the pages and fragments that declared any of `keys` stale now."""
    try:
        get_store().purge(slots_of(keys), next_scheduled_at() if reschedule else None)
    except Exception:  # a cache that is down must not fail the change that called us
        logger.exception("page cache: could not purge %d keys", len(keys))


def invalidate():
    """Make every cached page and fragment stale now, and look up the next scheduled story."""
    purge([surrogates.ALL], reschedule=True)


def roll_over(store):
    """The next scheduled story is due: one process tells the newsroom's listeners which
    stories appeared (they purge what shows them) and looks up the next one; the others wait.
    Returns the state as it is now (still due if the claimant has not finished)."""
    if store.claim_rollover():
        from broadsheet.newsroom.models import Article
        from broadsheet.newsroom.signals import articles_due, send_robustly

        _counter, due_at = store.state()
        try:
            if due_at:
                since = _datetime(due_at)
                ids = list(Article.objects.published().filter(publish_at__gte=since).values_list("pk", flat=True))
            else:  # never looked up (a new state): anything may be due
                ids = None
            if ids is None:
                store.purge(slots_of([surrogates.ALL]), next_scheduled_at())
            else:
                send_robustly(articles_due, article_ids=ids)
                store.purge((), next_scheduled_at())
        except Exception:
            logger.exception("page cache: could not roll over to the next scheduled story")
    return store.state()


def _datetime(timestamp):
    import datetime

    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
