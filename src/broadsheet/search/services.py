"""Keeping the index in step with the newsroom, and searching it for readers and the API."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from broadsheet.newsroom.models import Article, ArticleQuerySet

from . import conf, get_backend
from .base import Filters, Hit, IndexEntry
from .query import ParsedQuery, parse_query
from .text import has_mark, index_text, marked_html, plain_text

MAX_OFFSET = 10_000
# From this many articles on, index_articles first lets the backend index them set-based.
BULK_MIN = 10_000

_INDEX_FIELDS = ("pk", "headline", "summary", "body_html", "section_id", "source_id", "publish_at", "language")


def indexable() -> QuerySet[Article]:
    """Articles the index holds: published ones, including those scheduled for later."""
    return Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__isnull=False)


def _entries(rows: Iterable[tuple[Any, ...]]) -> list[IndexEntry]:
    return [
        IndexEntry(
            article_id=pk,
            headline=index_text(headline),
            summary=index_text(summary),
            body=plain_text(body_html),
            section_id=section_id,
            source_id=source_id,
            publish_at=publish_at,
            language=language or "",
        )
        for pk, headline, summary, body_html, section_id, source_id, publish_at, language in rows
    ]


def index_articles(article_ids: Iterable[int]) -> None:
    """Bring the index up to date for these articles: add or refresh the published, drop the rest."""
    backend = get_backend()
    ids = list(dict.fromkeys(article_ids))
    if len(ids) >= BULK_MIN:
        ids = index_in_bulk(ids)
    size = conf.index_batch_size()
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        rows = list(indexable().filter(pk__in=batch).values_list(*_INDEX_FIELDS))
        found = {row[0] for row in rows}
        missing = [pk for pk in batch if pk not in found]
        with transaction.atomic():
            if missing:
                backend.remove(missing)
            backend.index(_entries(rows))


def index_in_bulk(article_ids: list[int]) -> list[int]:
    """Index many articles (a seed, an import) set-based where the backend can; return the ids
    still to index one batch at a time (index_articles does both)."""
    done = set(get_backend().index_in_bulk(article_ids, indexable().values_list(*_INDEX_FIELDS)))
    return [pk for pk in article_ids if pk not in done]


def remove_articles(article_ids: Iterable[int]) -> None:
    get_backend().remove(list(article_ids))


def rebuild(*, progress: Callable[[int], Any] | None = None) -> int:
    """Empty the index and fill it again from every published article; returns the count.

    `progress(n)` is called after each batch with the number of articles just indexed.
    """
    backend = get_backend()
    backend.clear()
    size = conf.index_batch_size()
    last, total = 0, 0
    while True:
        rows = list(indexable().filter(pk__gt=last).order_by("pk").values_list(*_INDEX_FIELDS)[:size])
        if not rows:
            break
        with transaction.atomic():  # one write per batch: FTS5 flushes a segment per transaction
            backend.index(_entries(rows))
        last, total = rows[-1][0], total + len(rows)
        if progress:
            progress(len(rows))
    backend.optimize()
    return total


def indexable_count() -> int:
    return indexable().count()


@dataclass
class Result:
    article: Article
    headline_html: str
    snippet_html: str
    score: float


@dataclass
class SearchResults:
    query: ParsedQuery
    results: list[Result] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    match: str = "all"  # "any" when no story had every word and we fell back to any of them
    prefix_last: bool = False  # the last word was stretched to a prefix (see search())

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def matched_any(self) -> bool:
        return self.match == "any"


def _snippet(hit: Hit, article: Article) -> str:
    if has_mark(hit.body):
        return marked_html(hit.body)
    if has_mark(hit.summary):
        return marked_html(hit.summary)
    return marked_html(hit.summary or article.summary)


def search(
    text: str,
    *,
    filters: Filters | None = None,
    page: int = 1,
    per_page: int | None = None,
    match: str = "all",
    prefix_last: bool = False,
    fallback: bool = True,
    queryset: ArticleQuerySet | None = None,
    now: datetime.datetime | None = None,
    language: str = "",
) -> SearchResults:
    """Published stories matching `text`, best first, one page at a time.

    With `fallback`, a first page with no story holding every word is answered with stories
    holding any of them (SearchResults.match says which). `language` ("tr") is the language of
    the words typed: a backend that stems per language reads them as that language's words. Later pages pass back `match` and
    `prefix_last` from the first so they continue the same list. Usually two index queries
    (one more per fallback) and one for the articles; nothing counts the whole table.
    """
    query = parse_query(text, language=language)
    per_page = per_page or conf.page_size()
    page = max(1, int(page))
    outcome = SearchResults(query=query, page=page, match=match)
    offset = (page - 1) * per_page
    if not query or offset > MAX_OFFSET:
        return outcome
    now = now or timezone.now()
    filters = filters or Filters()
    backend = get_backend()
    if query.has_trailing_prefix() and not prefix_last:
        # A last word typed without a space is first taken as complete (an exact term is cheap
        # and usually meant), and only stretched to a prefix when that finds nothing.
        exact = query.as_typed()
        hits = backend.search(exact, filters, now=now, offset=offset, limit=per_page + 1, match=match)
        if hits or page > 1:
            query = outcome.query = exact
        else:
            outcome.prefix_last = True
            hits = backend.search(query, filters, now=now, offset=offset, limit=per_page + 1, match=match)
    else:
        outcome.prefix_last = query.has_trailing_prefix()
        hits = backend.search(query, filters, now=now, offset=offset, limit=per_page + 1, match=match)
    if not hits and fallback and match == "all" and page == 1 and len(query.terms) > 1:
        outcome.match = match = "any"
        hits = backend.search(query, filters, now=now, offset=offset, limit=per_page + 1, match=match)
    outcome.has_next = len(hits) > per_page
    hits = hits[:per_page]
    if not hits:
        return outcome
    queryset = queryset if queryset is not None else Article.objects.for_listing()
    articles = queryset.published(now).in_bulk([h.article_id for h in hits])
    hits = [h for h in hits if h.article_id in articles]
    backend.highlight(query, hits, match=match)
    outcome.results = [
        Result(
            article=articles[hit.article_id],
            headline_html=marked_html(hit.headline or articles[hit.article_id].headline),
            snippet_html=_snippet(hit, articles[hit.article_id]),
            score=hit.score,
        )
        for hit in hits
    ]
    return outcome


def day_start(value: datetime.date) -> datetime.datetime | None:
    """The first moment of a calendar day in the site's time zone, or None when out of range."""
    try:
        return datetime.datetime.combine(value, datetime.time.min, tzinfo=timezone.get_current_timezone())
    except (OverflowError, ValueError):
        return None


def day_end(value: datetime.date) -> datetime.datetime | None:
    """The first moment after a calendar day (an exclusive bound), or None when out of range."""
    try:
        return day_start(value + datetime.timedelta(days=1))
    except OverflowError:
        return None
