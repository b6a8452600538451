"""Newsroom operations that touch several models: the publishing workflow and revisions."""

from django.db import transaction
from django.utils import timezone

from .models import Article, Revision
from .signals import article_changed, send_robustly


def record_revision(article, *, by=None):
    """Keep a copy of the article as it is now."""
    return Revision.objects.create(article=article, created_by=by, data=article.snapshot())


def announce(article):
    """Tell the other apps (search, related, cache) that this article changed, once committed."""
    transaction.on_commit(lambda: send_robustly(article_changed, article=article))


@transaction.atomic
def save_article(article, *, by=None):
    article.save()
    record_revision(article, by=by)
    announce(article)
    return article


@transaction.atomic
def publish(article, *, by=None, at=None):
    """Publish now, or at `at` (a future time schedules the story)."""
    article.status = Article.Status.PUBLISHED
    if at is not None:
        article.publish_at = at
    elif article.publish_at is None or article.publish_at > timezone.now():
        article.publish_at = timezone.now()
    return save_article(article, by=by)


@transaction.atomic
def schedule(article, *, at, by=None):
    return publish(article, by=by, at=at)


@transaction.atomic
def unpublish(article, *, by=None):
    article.status = Article.Status.DRAFT
    return save_article(article, by=by)


@transaction.atomic
def send_to_review(article, *, by=None):
    article.status = Article.Status.REVIEW
    return save_article(article, by=by)


@transaction.atomic
def restore_revision(revision, *, by=None):
    """Put an article's words and settings back as they were in `revision`; keeps a new revision."""
    article = revision.article
    data = revision.data
    for name in Article.REVISION_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "publish_at" and value:
            value = timezone.datetime.fromisoformat(value)
        setattr(article, name, value)
    article.save()
    if "tags" in data:
        from .models import Tag

        article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in data["tags"]])
    if "authors" in data:
        from .models import Author

        article.authors.set(Author.objects.filter(pk__in=data["authors"]))
    record_revision(article, by=by)
    announce(article)
    return article
