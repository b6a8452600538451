"""Signals the newsroom sends; other apps listen, the newsroom imports none of them.

Every signal is sent after the change committed, robustly (as Wagtail sends page_published):
one listener that fails is logged and the others still run.
"""

import logging

from django.dispatch import Signal

log = logging.getLogger(__name__)

# Sent after an article's words, status, tags or authors changed and were committed.
# Arguments: article, seen_by_readers. Listeners check article.is_published() themselves.
# seen_by_readers is False for an edit of a story that readers could not see before it and
# cannot see after it (the desk's autosave of a draft): no page, feed, index or related list
# shows it, so listeners that keep those up to date have nothing to do.
article_changed = Signal()
# Sent after articles were removed. Arguments: article_ids.
articles_deleted = Signal()
# Sent after many articles were written in bulk (seed, import) without article_changed for each.
# Arguments: article_ids (a list, possibly long). Listeners index them in bulk. With
# in_process=True (a command such as `seed`, which may take its time) listeners do their work
# now, in the sender's process, instead of queueing tasks: nothing is left for a worker to redo.
articles_loaded = Signal()
# Sent when scheduled articles reached their publish time (by the first process to notice; no
# row changes then). Arguments: article_ids.
articles_due = Signal()


def send_robustly(signal, sender=None, **kwargs):
    """Send `signal` to every listener; a listener that raises is logged, the rest still run."""
    from .models import Article

    for receiver, result in signal.send_robust(sender=sender or Article, **kwargs):
        if isinstance(result, Exception):
            log.error(
                "listener %s.%s failed",
                getattr(receiver, "__module__", "?"),
                getattr(receiver, "__qualname__", repr(receiver)),
                exc_info=(type(result), result, result.__traceback__),
            )
