"""One writer at a time for the related index and lists, across processes and servers, and a
journal of what changed while a rebuild was computing.

Every change to the index or the lists runs inside `writing(article_ids)`: a transaction that
first takes the lock row (IndexState pk 1: a row lock on PostgreSQL; on SQLite, whose
transactions here begin IMMEDIATE, the database's own write lock) and notes the article ids in
the journal. So two updates never read the same postings and write them back over each other.

A rebuild computes for minutes at a million stories, so it does not hold the lock meanwhile: it
reads the journal's last number (under the lock, so every note before it is committed and its
article already visible to the rebuild's reading), computes, then, holding the lock, writes its
tables and replays every article noted after that number. A publish during a rebuild therefore
ends up in the lists, whichever of the two finishes first.
"""

import datetime
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import IndexedArticle, IndexState, Journal

LOCK_ROW = 1
# Notes older than this go: no rebuild computes for longer.
KEEP_NOTES = datetime.timedelta(days=1)


def lock():
    """Take the lock row until the current transaction ends (call inside one)."""
    if IndexState.objects.filter(pk=LOCK_ROW).update(id=LOCK_ROW):
        return
    try:
        with transaction.atomic():
            IndexState.objects.create(pk=LOCK_ROW, documents=IndexedArticle.objects.count())
    except IntegrityError:  # another process made it first: wait for its lock like the others
        pass
    IndexState.objects.filter(pk=LOCK_ROW).update(id=LOCK_ROW)


def note(article_ids):
    """Journal these articles as updated now (bulk_create: no per-row save signals)."""
    now = timezone.now()
    Journal.objects.filter(noted_at__lt=now - KEEP_NOTES).delete()
    Journal.objects.bulk_create([Journal(article_id=int(i), noted_at=now) for i in article_ids])


@contextmanager
def writing(article_ids=()):
    """A transaction holding the lock, with `article_ids` noted in the journal."""
    with transaction.atomic():
        lock()
        if article_ids:
            note(article_ids)
        yield


def journal_mark():
    """The journal's last number, read under the lock (a rebuild calls this before reading)."""
    with transaction.atomic():
        lock()
        return Journal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def noted_since(mark):
    """Ids of the articles noted after `mark`, in the order first noted."""
    ids = Journal.objects.filter(pk__gt=mark).order_by("pk").values_list("article_id", flat=True)
    return list(dict.fromkeys(ids))
