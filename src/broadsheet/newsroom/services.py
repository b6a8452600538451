"""Newsroom operations that touch several models: the publishing workflow and revisions.

The workflow's rules live here, not in forms: whatever posts to the back office or the desk,
a Writer (no publish permission) can neither publish a story nor change one that is published.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Article, Revision
from .signals import article_changed, send_robustly

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def record_revision(article: Article, *, by: User | None = None) -> Revision:
    """Keep a copy of the article as it is now."""
    return Revision.objects.create(article=article, created_by=by, data=article.snapshot())


def announce(article: Article, *, seen_by_readers: bool = True) -> None:
    """Tell the other apps (search, related, cache) that this article changed, once committed.

    seen_by_readers=False: the story was not public before this change and is not after it
    (see signals.article_changed)."""
    transaction.on_commit(
        lambda: send_robustly(article_changed, article=article, seen_by_readers=seen_by_readers)
    )


def can_publish(user: Any) -> bool:
    return user is None or user.has_perm("newsroom.publish_article")


def check_can_save(article: Article, *, by: Any, status: str | None = None) -> None:
    """Refuse (PermissionDenied, with a message for the writer) what only an editor may do.

    `by` None is the system (imports, the wire); `status` is the status about to be saved when
    it is not yet set on the article.
    """
    if can_publish(by):
        return
    stored = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first() if article.pk else None
    if stored == Article.Status.PUBLISHED:
        raise PermissionDenied(
            "This story is published: only an editor can change it. Ask an editor, or file a correction."
        )
    if (status or article.status) == Article.Status.PUBLISHED:
        raise PermissionDenied("Only editors can publish. Send the story to review instead.")


@transaction.atomic
def save_article(article: Article, *, by: User | None = None) -> Article:
    check_can_save(article, by=by)
    article.save()
    record_revision(article, by=by)
    announce(article)
    return article


@transaction.atomic
def publish(
    article: Article, *, by: User | None = None, at: datetime.datetime | None = None
) -> Article:
    """Publish now, or at `at` (a future time schedules the story)."""
    check_can_save(article, by=by, status=Article.Status.PUBLISHED)
    article.status = Article.Status.PUBLISHED
    if at is not None:
        article.publish_at = at
    elif article.publish_at is None or article.publish_at > timezone.now():
        article.publish_at = timezone.now()
    return save_article(article, by=by)


@transaction.atomic
def schedule(article: Article, *, at: datetime.datetime, by: User | None = None) -> Article:
    return publish(article, by=by, at=at)


@transaction.atomic
def unpublish(article: Article, *, by: User | None = None) -> Article:
    check_can_save(article, by=by)
    article.status = Article.Status.DRAFT
    return save_article(article, by=by)


@transaction.atomic
def send_to_review(article: Article, *, by: User | None = None) -> Article:
    check_can_save(article, by=by)
    article.status = Article.Status.REVIEW
    return save_article(article, by=by)


@transaction.atomic
def restore_revision(revision: Revision, *, by: User | None = None) -> Article:
    """Put an article's words and settings back as they were in `revision`; keeps a new revision."""
    article = revision.article
    data = revision.data
    check_can_save(article, by=by, status=data.get("status"))
    for name in Article.REVISION_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "publish_at" and value:
            value = datetime.datetime.fromisoformat(value)
        setattr(article, name, value)
    article.save()
    if "tags" in data:
        from .models import Tag

        article.tags.set([Tag.objects.find_or_create(name) for name in data["tags"]])
    if "authors" in data:
        from .models import Author

        article.authors.set(Author.objects.filter(pk__in=data["authors"]))
    record_revision(article, by=by)
    announce(article)
    return article
