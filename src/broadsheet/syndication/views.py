"""Feeds, sitemaps and robots.txt. The documents are built in feeds.py and sitemaps.py."""

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import feeds, sitemaps
from .cache import cached
from .services import absolute_url, get_subject

XML = "application/xml; charset=utf-8"
MAX_PAGE = 1_000_000

rss_feed = require_safe(feeds.ArticleFeed())
atom_feed = require_safe(feeds.AtomArticleFeed())


@require_safe
def json_feed(request, kind=None, slug=None):
    subject = get_subject(kind, slug) if kind else None
    return JsonResponse(
        feeds.json_feed(subject),
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


def xml_response(document):
    response = HttpResponse(document, content_type=XML)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
def sitemap_index(request):
    limits = ":".join(str(getattr(s, "limit", 0)) for s in sitemaps.SITEMAPS.values())
    return xml_response(cached(f"index:{limits}", sitemaps.render_index))


def page_number(request):
    value = request.GET.get("p", "1")
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise Http404("No such sitemap page.")
    return int(value)


@require_safe
def sitemap_page(request, name):
    sitemap_class = sitemaps.SITEMAPS.get(name)
    if sitemap_class is None:
        raise Http404("No such sitemap.")
    number = page_number(request)

    def build():
        document, count = sitemaps.render_urlset(sitemap_class().entries(number))
        return document if count or number == 1 else ""

    document = cached(f"{name}:{getattr(sitemap_class, 'limit', 0)}:{number}", build)
    if not document:
        raise Http404("This sitemap page is empty.")
    return xml_response(document)


@require_safe
def news_sitemap(request):
    return xml_response(cached("news", sitemaps.render_news))


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /publish/status/",
        "",
        f"Sitemap: {absolute_url(reverse('syndication:sitemap'))}",
        f"Sitemap: {absolute_url(reverse('syndication:sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
