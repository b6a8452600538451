"""Read-only JSON endpoints. Each parses its parameters, asks services, answers with json_response."""

from urllib.parse import urlencode

from django.urls import reverse

from broadsheet.newsroom.models import Author, Section, Source, Tag
from broadsheet.related.services import related_for
from broadsheet.search.services import day_end, day_start
from broadsheet.wire.provenance import article_facts

from . import params, services
from . import representations as show
from .http import BadParameter, NotFound, api_view, json_response
from .schema import openapi_schema


def _next_url(request, name, replace, *args):
    kept = [(key, value) for key, values in request.GET.lists() if key not in replace for value in values]
    query = urlencode(kept + list(replace.items()))
    return show.absolute(reverse(name, args=args)) + "?" + query


@api_view
def index(request):
    names = ["articles", "sections", "tags", "sources", "authors", "openapi"]
    return json_response(request, {name: show.absolute(reverse(f"api:{name}")) for name in names})


@api_view
def openapi(request):
    return json_response(request, openapi_schema())


@api_view
def articles(request):
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
    data = {
        "results": [show.article(a, highlight=page.highlights.get(a.pk)) for a in page.articles],
        "next": None,
    }
    if page.next_cursor:
        cursor = params.encode_cursor(page.next_cursor)
        data["next"] = _next_url(request, "api:articles", {"cursor": cursor})
    return json_response(request, data, last_modified=page.last_modified())


def _article_or_404(pk):
    number = params.object_id(pk)
    article = services.published_article(number) if number else None
    if article is None:
        raise NotFound("No published article has this id.")
    return article


@api_view
def article(request, pk):
    found = _article_or_404(pk)
    data = show.article_detail(found, related=related_for(found, limit=5))
    data.update(article_facts(found, absolute=show.absolute))
    return json_response(request, data, last_modified=services.detail_last_modified(found))


@api_view
def article_comments(request, pk):
    found = _article_or_404(pk)
    page_number, page_size = params.page(request), params.page_size(request)
    rows, has_next = services.comments_page(found, page=page_number, page_size=page_size)
    data = {"results": [show.comment(row) for row in rows], "next": None}
    if has_next:
        data["next"] = _next_url(request, "api:article-comments", {"page": page_number + 1}, found.pk)
    return json_response(request, data)


@api_view
def sections(request):
    return json_response(request, {"results": [show.section(s) for s in services.sections()], "next": None})


def _named_list(model, represent, name):
    @api_view
    def view(request):
        page_number, page_size = params.page(request), params.page_size(request)
        rows, has_next = services.named_page(model, page=page_number, page_size=page_size)
        data = {"results": [represent(row) for row in rows], "next": None}
        if has_next:
            data["next"] = _next_url(request, f"api:{name}", {"page": page_number + 1})
        return json_response(request, data)

    view.__name__ = name
    return view


tags = _named_list(Tag, show.tag, "tags")
sources = _named_list(Source, show.source, "sources")
authors = _named_list(Author, show.author, "authors")


@api_view
def not_found(request, path=""):
    """Anything else under /api/: a JSON 404 rather than the site's HTML page."""
    raise NotFound("No such endpoint; the endpoints are listed in /api/openapi.json.")
