"""Signals the newsroom sends; other apps listen, the newsroom imports none of them."""

from django.dispatch import Signal

# Sent after an article's words, status, tags or authors changed and were committed.
# Arguments: article. Listeners check article.is_published() themselves.
article_changed = Signal()
# Sent after articles were removed. Arguments: article_ids.
articles_deleted = Signal()
# Sent after many articles were written in bulk (seed, import) without article_changed for each.
# Arguments: article_ids (a list, possibly long). Listeners index them in bulk. With
# in_process=True (a command such as `seed`, which may take its time) listeners do their work
# now, in the sender's process, instead of queueing tasks: nothing is left for a worker to redo.
articles_loaded = Signal()
