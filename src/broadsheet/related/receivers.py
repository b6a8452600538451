"""Listening to the newsroom: queue the work that keeps related lists fresh."""

from django.db import transaction

from . import conf, tasks


def article_changed(sender, article, seen_by_readers=True, **kwargs):
    if not seen_by_readers:  # a draft's autosave: in no list before, in none after
        return
    # The task looks at the article as it is when it runs: published -> listed, else removed.
    tasks.update_related.enqueue([article.pk])


def article_deleting(sender, instance, **kwargs):
    """Before an article row goes (its list rows go with it), note whose lists it was in, so
    they can be refilled once the delete is committed. The delete waits for the related lock
    and is journaled, so a rebuild computing meanwhile never writes rows for a deleted story."""
    from . import locking
    from .models import RelatedEntry

    with locking.writing([instance.pk]):
        pass

    holders = list(
        RelatedEntry.objects.filter(related_id=instance.pk, pinned=False)
        .exclude(article_id=instance.pk)
        .values_list("article_id", flat=True)
    )
    if holders:
        transaction.on_commit(lambda: tasks.recompute_related.enqueue(holders))


def articles_deleted(sender, article_ids, **kwargs):
    ids = [int(i) for i in article_ids]
    if ids:
        tasks.remove_related.enqueue(ids)


def articles_loaded(sender, article_ids, in_process=False, **kwargs):
    """A bulk load: up to BULK_LIMIT articles are updated, more start a full rebuild; queued,
    or done now when the sender does its work in process (`seed`)."""
    from . import services

    ids = [int(i) for i in article_ids]
    if not ids:
        return
    if len(ids) <= conf.bulk_limit():
        work = (
            (lambda: services.update_related(ids))
            if in_process
            else (lambda: tasks.update_related.enqueue(ids))
        )
    else:
        work = services.rebuild_related if in_process else tasks.rebuild_related.enqueue
    transaction.on_commit(work)


def choices_changed(sender, instance, **kwargs):
    """An editor pinned or excluded a story: rewrite that article's list straight away."""
    from . import services

    article_id = instance.article_id
    transaction.on_commit(lambda: services.recompute_related([article_id]))
