"""What a change purges, and purging it: the built-in caches at once, shared caches through the
purge queue (see sending.py). Called after the change committed.

    purge([surrogates.story(7), surrogates.HOME])
    purge_all()      # site settings changed: every page, everywhere
"""

import logging

from django.apps import apps

from broadsheet.core import surrogates

logger = logging.getLogger(__name__)

# Every change to a published story touches these pages.
STORY_WIDE = (
    surrogates.HOME,
    surrogates.FEED,
    surrogates.SEARCH,
    surrogates.ARCHIVE,
    surrogates.SITEMAP,
    surrogates.API,
    surrogates.MISSING,
    surrogates.ANY,
)


def purge(keys, *, reschedule=False):
    """Make every page and fragment naming one of `keys` stale: here at once, in shared caches
    as soon as the purge queue is sent. `reschedule`: a story's time may have changed, so the
    built-in cache looks up the next scheduled story again."""
    keys = sorted(set(keys))
    if not keys:
        return
    from broadsheet.pagecache.invalidation import purge as purge_built_in

    purge_built_in(keys, reschedule=reschedule)
    from . import sending

    sending.queue(keys)


def purge_all():
    """Every page, everywhere (site settings, a renamed section): the pages are rendered again."""
    purge([surrogates.ALL], reschedule=True)


def article_keys(article):
    """The keys of every page that shows `article` now or showed it before its last save."""
    from broadsheet.newsroom.models import Article, Revision, Tag
    from broadsheet.syndication.sitemaps import ArticleSitemap

    keys = {
        surrogates.story(article.pk),
        surrogates.sitemap_page((article.pk - 1) // ArticleSitemap.limit + 1),
    }
    keys.update(STORY_WIDE)
    if article.translation_of_id:  # it may have just joined a family of translations
        keys.add(surrogates.TRANSLATIONS)
    section_ids = {article.section_id}
    source_ids = {article.source_id}
    tag_ids = set(Article.tags.through.objects.filter(article_id=article.pk).values_list("tag_id", flat=True))
    author_ids = set(
        Article.authors.through.objects.filter(article_id=article.pk).values_list("author_id", flat=True)
    )
    # The listings it left: what the revision before this save said.
    before = (
        Revision.objects.filter(article_id=article.pk)
        .order_by("-created_at", "-id")
        .values_list("data", flat=True)[1:2]
    )
    for data in before:
        section_ids.add(data.get("section_id"))
        source_ids.add(data.get("source_id"))
        author_ids.update(data.get("authors") or ())
        if data.get("tags"):
            tag_ids.update(Tag.objects.filter(name__in=data["tags"]).values_list("pk", flat=True))
    keys.update(surrogates.section(pk) for pk in section_ids if pk)
    keys.update(surrogates.source(pk) for pk in source_ids if pk)
    keys.update(surrogates.tag(pk) for pk in tag_ids if pk)
    keys.update(surrogates.author(pk) for pk in author_ids if pk)
    keys.update(surrogates.story(pk) for pk in related_holders([article.pk]))
    return keys


def related_holders(article_ids):
    """Stories whose related lists show one of `article_ids` (their block shows its headline)."""
    if not apps.is_installed("broadsheet.related"):
        return []
    entry = apps.get_model("related", "RelatedEntry")
    return list(
        entry.objects.filter(related_id__in=list(article_ids)).values_list("article_id", flat=True).distinct()
    )


def article_changed(article):
    purge(article_keys(article), reschedule=True)


def articles_due(article_ids):
    from broadsheet.newsroom.models import Article

    keys = set()
    for article in Article.objects.filter(pk__in=list(article_ids)):
        keys |= article_keys(article)
    purge(keys, reschedule=True)


def related_lists_changed(article_ids):
    """The related lists of these stories were rewritten: their pages show the new lists.
    (The related app's hook; until it names exactly the lists it changed, the caller also
    passes the stories whose lists may now hold the changed ones.)"""
    purge([surrogates.story(pk) for pk in article_ids])


def comments_changed(article_id):
    """The approved comments of a story changed: its page, its comment feed, the site's."""
    purge([surrogates.story(article_id), surrogates.COMMENT_FEED, surrogates.API])
