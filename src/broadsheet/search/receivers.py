"""The index follows the newsroom: every save, unpublish, delete and bulk load."""

from broadsheet.newsroom.models import Article

from . import services


def article_changed(sender, article, seen_by_readers=True, **kwargs):
    if not seen_by_readers:  # a draft's autosave: it was not indexed and is not to be
        return
    # Scheduled stories are indexed now and filtered by publish_at at query time, so they
    # appear at their time without another signal.
    if article.status == Article.Status.PUBLISHED and article.publish_at is not None:
        services.index_articles([article.pk])
    else:
        services.remove_articles([article.pk])


def articles_deleted(sender, article_ids, **kwargs):
    services.remove_articles(article_ids)


def articles_loaded(sender, article_ids, **kwargs):
    services.index_articles(article_ids)
