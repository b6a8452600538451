"""Domain events -> purges. Each listener runs after the change committed; a failing one is
logged by the sender (send_robust) and never undoes the change."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from broadsheet.core.surrogates import purge_requested
from broadsheet.newsroom import signals as newsroom

from . import services

logger = logging.getLogger(__name__)


def on_article_changed(sender, article, seen_by_readers=True, **kwargs):
    if seen_by_readers:  # else no page showed it or shows it (the row's own save still purges)
        services.article_changed(article)


def on_articles_due(sender, article_ids, **kwargs):
    services.articles_due(article_ids)


def on_bulk(sender, article_ids=(), **kwargs):
    # A bulk load or a delete touches listings we cannot name any more: every page, once the
    # change is committed.
    transaction.on_commit(services.purge_all)


def on_comments_changed(sender, article_id, **kwargs):
    services.comments_changed(article_id)


def on_purge_requested(sender, keys, **kwargs):
    services.purge(keys)


def after_commit(purge):
    def receiver(sender, instance=None, created=False, **kwargs):
        keys = purge(instance, created)
        if keys:
            transaction.on_commit(lambda: services.purge(keys))

    return receiver


def _renamed(instance, created):
    """A section shows in every page's navigation; a tag, author or source by name on story
    pages: a change to one (not its creation, which shows nowhere yet) purges every page."""
    from broadsheet.core import surrogates
    from broadsheet.newsroom.models import Section

    return [] if created and not isinstance(instance, Section) else [surrogates.ALL]


def _correction(instance, created):
    from broadsheet.core import surrogates

    return [surrogates.story(instance.article_id), surrogates.API, surrogates.CORRECTIONS]


def _rules(instance, created):
    """The editors' comment rules (closing, paging) shape every story page; the row made with
    its defaults on first use changes nothing."""
    from broadsheet.core import surrogates

    return [] if created else [surrogates.ALL]


def on_article_saved(sender, instance, **kwargs):
    """A save made outside the newsroom's services (a script, a test, a data fix) purges what
    the story shows, as article_changed would (the same keys; purging twice costs nothing)."""
    if kwargs.get("raw") or instance.pk is None:
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return
    _purge_article_on_commit(instance.pk)


def on_article_links_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if not action.startswith("post_"):
        return
    from broadsheet.newsroom.models import Article

    if isinstance(instance, Article):
        _purge_article_on_commit(instance.pk)
    else:  # changed from the tag's or author's side
        for pk in pk_set or ():
            _purge_article_on_commit(pk)


def _purge_article_on_commit(article_id):
    def purge():
        from broadsheet.newsroom.models import Article

        article = Article.objects.filter(pk=article_id).first()
        if article is not None:
            services.article_changed(article)

    transaction.on_commit(purge)


def on_comment_saved(sender, instance, **kwargs):
    """An approved comment saved outside the comments' services is shown: purge its story
    (a held, spam or trashed one shows nowhere: nothing)."""
    if instance.status == "approved" and not kwargs.get("raw"):
        article_id = instance.article_id
        transaction.on_commit(lambda: services.comments_changed(article_id))


def on_related_lists_changed(sender, article_ids, **kwargs):
    """The related app rewrote stored lists: purge the stories showing them (every page after
    a rebuild, when any list may have changed)."""
    if article_ids is None:
        services.purge_all()
    else:
        services.related_lists_changed(article_ids)


def connect():
    from django.db.models.signals import m2m_changed

    from broadsheet.newsroom.models import Article, Author, Correction, Section, Source, Tag
    from broadsheet.related.signals import related_lists_changed

    newsroom.article_changed.connect(on_article_changed, dispatch_uid="edge.article_changed")
    newsroom.articles_due.connect(on_articles_due, dispatch_uid="edge.articles_due")
    newsroom.articles_loaded.connect(on_bulk, dispatch_uid="edge.articles_loaded")
    newsroom.articles_deleted.connect(on_bulk, dispatch_uid="edge.articles_deleted")
    purge_requested.connect(on_purge_requested, dispatch_uid="edge.purge_requested")
    related_lists_changed.connect(on_related_lists_changed, dispatch_uid="edge.related_lists_changed")
    for model in (Section, Tag, Author, Source):
        for signal in (post_save, post_delete):
            signal.connect(
                after_commit(_renamed),
                sender=model,
                weak=False,
                dispatch_uid=f"edge.{model.__name__}.{id(signal)}",
            )
    post_save.connect(on_article_saved, sender=Article, dispatch_uid="edge.article_saved")
    for through in (Article.tags.through, Article.authors.through):
        m2m_changed.connect(
            on_article_links_changed, sender=through, dispatch_uid=f"edge.links.{through.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            after_commit(_correction),
            sender=Correction,
            weak=False,
            dispatch_uid=f"edge.correction.{id(signal)}",
        )
    from django.apps import apps

    if apps.is_installed("broadsheet.comments"):
        from broadsheet.comments.models import Comment, ModerationSettings
        from broadsheet.comments.signals import comments_changed

        comments_changed.connect(on_comments_changed, dispatch_uid="edge.comments_changed")
        post_save.connect(on_comment_saved, sender=Comment, dispatch_uid="edge.comment_saved")
        post_save.connect(
            after_commit(_rules), sender=ModerationSettings, weak=False, dispatch_uid="edge.rules"
        )
