"""The stories lists of teasers show (the front page, section, tag, author, source and archive
pages), each read with SQL built once per process (core.prepared).

A front page runs the same few small indexed queries for every full render, and building each
queryset and compiling it to SQL costs more CPU than the database takes to answer it. So each
query here is a PreparedQuery, compiled once per database and shape (the number of ids asked
for, the number of section blocks, the kind of page) and later run with only this request's
values. The stories come as Article instances with their section and source, one instance per
section or source a page shows (not one per story).
"""

from django.db.models import Q
from django.utils import timezone

from broadsheet.core.prepared import PreparedQuery

from .models import Article
from .pagination import keyset_page_by

# The labels of the front page's id query's parts that are not a section block.
_LATEST, _PINNED = -1, -2


def _front_page_query(now, section_ids, *, depth):
    """One query for every id the front page needs: the `depth` newest stories, the pinned
    lead, and each section's `depth` newest, each part read through its own index (so the cost
    does not grow with the number of stories). Part n of the sections is labelled n."""
    newest = Article.objects.published(now=now).order_by("-publish_at", "-id").values_list("pk", flat=True)
    pinned = Article.objects.published(now=now).pinned().values_list("pk", flat=True)[:1]
    parts = [(_LATEST, newest[:depth]), (_PINNED, pinned)]
    parts += [(n, newest.filter(section_id=section_id)[:depth]) for n, section_id in enumerate(section_ids)]
    sqls, params = [], []
    for label, queryset in parts:
        sql, own = queryset.query.sql_with_params()
        sqls.append(f"SELECT {int(label)}, * FROM ({sql}) AS part{len(sqls)}")
        params.extend(own)
    return " UNION ALL ".join(sqls), params


_FRONT_PAGE_IDS = PreparedQuery(_front_page_query, fixed=["depth"], model=Article)


def front_page_ids(section_ids, *, depth, now):
    """(the newest ids, the pinned lead's id or None, {section id: its newest ids}), newest
    first, `depth` of each, in one query."""
    section_ids = list(section_ids)
    latest, pinned, blocks = [], None, {section_id: [] for section_id in section_ids}
    for label, pk in _FRONT_PAGE_IDS.all(now=now, section_ids=section_ids, depth=depth):
        if label == _LATEST:
            latest.append(pk)
        elif label == _PINNED:
            pinned = pk
        else:
            blocks[section_ids[label]].append(pk)
    return latest, pinned, blocks


_STORIES = PreparedQuery(
    lambda ids: Article.objects.for_listing().filter(pk__in=ids).order_by(), share_related=True
)


def stories_by_id(ids):
    """{id: Article} of the stories with these ids (what a teaser shows: no body; the section
    and source loaded), whatever their status: the caller chose the ids."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    return {story.pk: story for story in _STORIES.all(ids=ids)}


# What each kind of listing page lists, from the published stories and its subject's id (or,
# for a date archive, [start, end]).
_LISTED = {
    "section": lambda stories, subject: stories.in_section(subject),
    "tag": lambda stories, subject: stories.filter(tags=subject),
    "author": lambda stories, subject: stories.filter(authors=subject),
    "source": lambda stories, subject: stories.filter(source=subject),
    "archive": lambda stories, span: stories.filter(publish_at__gte=span[0], publish_at__lt=span[1]),
}


def _page_query(now, subject, cursor, kind, direction, count):
    stories = _LISTED[kind](Article.objects.published(now=now), subject).for_listing()
    if direction == "after":
        when, pk = cursor
        return stories.filter(Q(publish_at__gt=when) | Q(publish_at=when, pk__gt=pk)).order_by(
            "publish_at", "id"
        )[:count]
    if cursor:
        when, pk = cursor
        stories = stories.filter(Q(publish_at__lt=when) | Q(publish_at=when, pk__lt=pk))
    return stories.order_by("-publish_at", "-id")[:count]


_PAGES = PreparedQuery(_page_query, fixed=["kind", "direction", "count"], share_related=True)


class Listed:
    """The stories of a section, tag, author or source (its id), or of a date archive
    ([start, end]), a page at a time (pagination.keyset_page_by), each page one prepared query
    (compiled once per kind, direction and size)."""

    def __init__(self, kind, subject):
        self.kind = kind
        self.subject = subject

    def page(self, params, size, now=None):
        now = now or timezone.now()

        def fetch(direction, cursor, count):
            return _PAGES.all(
                now=now,
                subject=self.subject,
                cursor=list(cursor or ()),
                kind=self.kind,
                direction=direction,
                count=count,
            )

        return keyset_page_by(fetch, params, size)
