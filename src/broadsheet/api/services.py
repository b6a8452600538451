"""The API's reads: published articles with filters and cursors, the lists beside them."""

import datetime
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, Prefetch
from django.utils import timezone

from broadsheet.newsroom.models import Article, ArticleQuerySet, Author, Correction, Section, Source, Tag
from broadsheet.newsroom.pagination import older_page
from broadsheet.search import services as search
from broadsheet.search.base import Filters, SearchUnavailable

from .http import ApiError, BadParameter

M = TypeVar("M", bound=Model)
# A cursor as params.cursor() reads it: the decoded data, and the error to raise if it is wrong.
Cursor = tuple[dict[str, Any], BadParameter]


def article_queryset(now: datetime.datetime | None = None) -> ArticleQuerySet:
    """Published articles with everything a representation shows, in three queries a page."""
    return (
        Article.objects.published(now)
        .select_related("section", "source")
        .prefetch_related(
            Prefetch("authors", queryset=Author.objects.only("name", "slug").order_by("name")),
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
        )
    )


def detail_queryset(now: datetime.datetime | None = None) -> ArticleQuerySet:
    return article_queryset(now).prefetch_related(
        Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id"))
    )


def find(model: type[M], slug: str | None, parameter: str) -> M | None:
    if slug is None:
        return None
    found = model._default_manager.filter(slug=slug).first()
    if found is None:
        raise BadParameter(parameter, f"There is no {parameter} with the slug '{slug}'.")
    return found


@dataclass
class ArticlePage:
    articles: list
    highlights: dict = field(default_factory=dict)
    next_cursor: dict | None = None

    def last_modified(self) -> datetime.datetime | None:
        stamps = [max(a.updated_at, a.publish_at) for a in self.articles]
        return max(stamps) if stamps else None


@dataclass
class ArticleQuery:
    q: str | None = None
    section: Section | None = None
    tag: Tag | None = None
    author: Author | None = None
    source: Source | None = None
    date_from: datetime.datetime | None = None
    date_to: datetime.datetime | None = None
    external_id: str | None = None


def article_page(
    query: ArticleQuery, *, page_size: int, cursor: Cursor | None = None, now: datetime.datetime | None = None
) -> ArticlePage:
    now = now or timezone.now()
    if query.q is not None and query.q.strip():
        return _search_page(query, page_size=page_size, cursor=cursor, now=now)
    return _latest_page(query, page_size=page_size, cursor=cursor, now=now)


def _latest_page(
    query: ArticleQuery, *, page_size: int, cursor: Cursor | None, now: datetime.datetime
) -> ArticlePage:
    articles = article_queryset(now)
    if query.section:
        articles = articles.filter(section=query.section)
    if query.source:
        articles = articles.filter(source=query.source)
    if query.tag:
        articles = articles.filter(tags=query.tag)
    if query.author:
        articles = articles.filter(authors=query.author)
    if query.date_from:
        articles = articles.filter(publish_at__gte=query.date_from)
    if query.date_to:
        articles = articles.filter(publish_at__lt=query.date_to)
    if query.external_id is not None:
        articles = articles.filter(external_id=query.external_id)
    before = None
    if cursor is not None:
        data, bad = cursor
        try:
            stamp, last_id = data["k"]
            stamp = datetime.datetime.fromisoformat(stamp)
            if stamp.tzinfo is None or not isinstance(last_id, int) or isinstance(last_id, bool):
                raise bad
            # In UTC, as the database compares it: 0001-01-01T00:00:00+05:00 falls before year 1.
            stamp = stamp.astimezone(datetime.UTC)
        except (KeyError, TypeError, ValueError, OverflowError):
            raise bad from None
        before = (stamp, last_id)
    rows, more = older_page(articles, before, page_size)
    page = ArticlePage(articles=rows)
    if more:
        page.next_cursor = {"k": [rows[-1].publish_at.isoformat(), rows[-1].pk]}
    return page


def _search_page(
    query: ArticleQuery, *, page_size: int, cursor: Cursor | None, now: datetime.datetime
) -> ArticlePage:
    number: Any = 1
    match: Any = "all"
    prefix_last: Any = False
    if cursor is not None:
        data, bad = cursor
        number, match, prefix_last = data.get("p"), data.get("m"), data.get("x", False)
        if not isinstance(prefix_last, bool):
            raise bad
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 100_000:
            raise bad
        if match not in ("all", "any"):
            raise bad
    article_id = None
    if query.external_id is not None:
        article_id = (
            Article.objects.filter(external_id=query.external_id).values_list("pk", flat=True).first()
        )
        if article_id is None:
            return ArticlePage(articles=[])
    filters = Filters(
        section_id=query.section.pk if query.section else None,
        source_id=query.source.pk if query.source else None,
        tag_id=query.tag.pk if query.tag else None,
        author_id=query.author.pk if query.author else None,
        article_id=article_id,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    try:
        outcome = search.search(
            query.q or "",
            filters=filters,
            page=number,
            per_page=page_size,
            match=match,
            prefix_last=prefix_last,
            fallback=cursor is None,
            queryset=article_queryset(now),
            now=now,
        )
    except SearchUnavailable:
        raise ApiError(503, "Search is unavailable just now; please try again shortly.", "q") from None
    page = ArticlePage(
        articles=[r.article for r in outcome.results],
        highlights={
            r.article.pk: {
                "headline_html": str(r.headline_html),
                "snippet_html": str(r.snippet_html),
                "score": round(r.score, 6),
            }
            for r in outcome.results
        },
    )
    if outcome.has_next:
        page.next_cursor = {"p": number + 1, "m": outcome.match, "x": outcome.prefix_last}
    return page


def published_article(pk: int, now: datetime.datetime | None = None) -> Article | None:
    return detail_queryset(now).filter(pk=pk).first()


def sections() -> list[Section]:
    return list(Section.objects.order_by("position", "name"))


def named_page(model: type[Tag | Source | Author], *, page: int, page_size: int) -> tuple[list[Any], bool]:
    """One page of tags, sources or authors by name; a next page only when there is one."""
    offset = (page - 1) * page_size
    rows = list(model.objects.order_by("name", "pk")[offset : offset + page_size + 1])
    return rows[:page_size], len(rows) > page_size


def comments_page(article: Article, *, page: int, page_size: int) -> tuple[list[dict[str, Any]], bool]:
    from broadsheet.comments.services import public_comments

    offset = (page - 1) * page_size
    rows = list(public_comments(article)[offset : offset + page_size + 1])
    return rows[:page_size], len(rows) > page_size


def detail_last_modified(article: Article) -> datetime.datetime:
    stamps = [article.updated_at, article.publish_at]
    stamps += [c.created_at for c in article.corrections.all()]
    return max(s for s in stamps if s)
