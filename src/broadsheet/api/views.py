"""Read-only JSON endpoints. Each parses its parameters, asks services, answers with json_response."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from broadsheet.newsroom import exporting
from broadsheet.newsroom.models import Article, Author, Section, Source, Tag
from broadsheet.related.services import related_for
from broadsheet.search.services import day_end, day_start
from broadsheet.wire.provenance import article_facts

from . import params, services
from . import representations as show
from .auth import staff_user
from .http import BadParameter, NotFound, api_view, json_response
from .schema import openapi_schema


def _next_url(request: HttpRequest, name: str, replace: dict[str, Any], *args: Any) -> str:
    kept = [(key, value) for key, values in request.GET.lists() if key not in replace for value in values]
    query = urlencode(kept + list(replace.items()))
    return show.absolute(reverse(name, args=args)) + "?" + query


@api_view
def index(request: HttpRequest) -> HttpResponseBase:
    names = ["articles", "sections", "tags", "sources", "authors", "openapi"]
    return json_response(request, {name: show.absolute(reverse(f"api:{name}")) for name in names})


@api_view
def openapi(request: HttpRequest) -> HttpResponseBase:
    return json_response(request, openapi_schema())


@api_view
def articles(request: HttpRequest) -> HttpResponseBase:
    date_from, date_to = params.date(request, "from"), params.date(request, "to")
    if date_from and date_to and date_from > date_to:
        raise BadParameter("to", "`to` is before `from`.")
    query = services.ArticleQuery(
        q=params.search_text(request, "q"),
        section=services.find(Section, params.slug(request, "section"), "section"),
        tag=services.find(Tag, params.slug(request, "tag"), "tag"),
        author=services.find(Author, params.slug(request, "author"), "author"),
        source=services.find(Source, params.slug(request, "source"), "source"),
        date_from=day_start(date_from) if date_from else None,
        date_to=day_end(date_to) if date_to else None,
        external_id=params.text(request, "external_id", max_length=200),
    )
    page = services.article_page(query, page_size=params.page_size(request), cursor=params.cursor(request))
    data: dict[str, Any] = {
        "results": [show.article(a, highlight=page.highlights.get(a.pk)) for a in page.articles],
        "next": None,
    }
    if page.next_cursor:
        cursor = params.encode_cursor(page.next_cursor)
        data["next"] = _next_url(request, "api:articles", {"cursor": cursor})
    return json_response(request, data, last_modified=page.last_modified())


def _article_or_404(pk: str) -> Article:
    number = params.object_id(pk)
    article = services.published_article(number) if number else None
    if article is None:
        raise NotFound("No published article has this id.")
    return article


@api_view
def article(request: HttpRequest, pk: str) -> HttpResponseBase:
    found = _article_or_404(pk)
    data = show.article_detail(found, related=related_for(found, limit=5))
    data.update(article_facts(found, absolute=show.absolute))
    return json_response(request, data, last_modified=services.detail_last_modified(found))


@api_view
def article_comments(request: HttpRequest, pk: str) -> HttpResponseBase:
    found = _article_or_404(pk)
    page_number, page_size = params.page(request), params.page_size(request)
    rows, has_next = services.comments_page(found, page=page_number, page_size=page_size)
    data: dict[str, Any] = {"results": [show.comment(row) for row in rows], "next": None}
    if has_next:
        data["next"] = _next_url(request, "api:article-comments", {"page": page_number + 1}, found.pk)
    return json_response(request, data)


@api_view
def sections(request: HttpRequest) -> HttpResponseBase:
    return json_response(request, {"results": [show.section(s) for s in services.sections()], "next": None})


def _named_list(
    model: type[Tag | Source | Author], represent: Callable[[Any], dict[str, Any]], name: str
) -> Callable[..., HttpResponseBase]:
    @api_view
    def view(request: HttpRequest) -> HttpResponseBase:
        page_number, page_size = params.page(request), params.page_size(request)
        rows, has_next = services.named_page(model, page=page_number, page_size=page_size)
        data: dict[str, Any] = {"results": [represent(row) for row in rows], "next": None}
        if has_next:
            data["next"] = _next_url(request, f"api:{name}", {"page": page_number + 1})
        return json_response(request, data)

    view.__name__ = name
    return view


tags = _named_list(Tag, show.tag, "tags")
sources = _named_list(Source, show.source, "sources")
authors = _named_list(Author, show.author, "authors")


@api_view
def not_found(request: HttpRequest, path: str = "") -> HttpResponseBase:
    """Anything else under /api/: a JSON 404 rather than the site's HTML page."""
    raise NotFound("No such endpoint; the endpoints are listed in /api/openapi.json.")


EXPORT_PAGE = 1000
EXPORT_PAGE_MAX = 5000


@api_view
def export_articles(request: HttpRequest) -> HttpResponseBase:
    """Our own export (the JSON Lines `broadsheet export-articles` writes), for staff: a page of
    lines oldest first, streamed; the `Link: <…>; rel="next"` header names the next page."""
    staff_user(request)
    limit = params.integer(request, "limit", default=EXPORT_PAGE, minimum=1, maximum=EXPORT_PAGE_MAX)
    found = params.cursor(request)
    stories = exporting.exported()
    if found is not None:
        data, bad = found
        when = parse_datetime(str(data.get("t", ""))) if isinstance(data.get("t"), str) else None
        pk = data.get("i")
        if when is None or not isinstance(pk, int):
            raise bad
        stories = exporting.after(stories, (when, pk))
    page = list(stories.values_list("publish_at", "id")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    lines = exporting.export_lines(queryset=exporting.exported().filter(id__in=[pk for _t, pk in page]))
    response = StreamingHttpResponse(lines, content_type="application/jsonl; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    if more:
        when, pk = page[-1]
        cursor = params.encode_cursor({"t": when.isoformat(), "i": pk})
        response["Link"] = f'<{_next_url(request, "api:export-articles", {"cursor": cursor})}>; rel="next"'
    return response
