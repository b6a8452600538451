"""Feeds, sitemaps and robots.txt. The documents are built in feeds.py and sitemaps.py and kept
in the cache (see cache.py); answers carry an ETag, so a feed reader's repeat visit gets a 304."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from broadsheet.core import surrogates

from . import conf, feeds, sitemaps
from .cache import cached, document_key, page_generation, site_generation
from .services import absolute_url, get_subject

XML = "application/xml; charset=utf-8"
JSON_FEED = "application/feed+json; charset=utf-8"
MAX_PAGE = 1_000_000


@dataclass
class Document:
    content: bytes
    content_type: str
    etag: str
    last_modified: str = ""
    robots: str = ""

    @classmethod
    def of(cls, content, content_type, **kw):
        if isinstance(content, str):
            content = content.encode()
        etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
        return cls(content, content_type, etag, **kw)


def answer(request, document):
    """The document, or 304 Not Modified when the reader already holds this version."""
    response = HttpResponse(document.content, content_type=document.content_type)
    response["ETag"] = document.etag
    if document.last_modified:
        response["Last-Modified"] = document.last_modified
    if document.robots:
        response["X-Robots-Tag"] = document.robots
    return get_conditional_response(request, etag=document.etag, response=response)


# --- feeds ----------------------------------------------------------------------------------

_rss = feeds.ArticleFeed()
_atom = feeds.AtomArticleFeed()


def feed_view(format, build):
    @require_safe
    def view(request, kind=None, slug=None):
        surrogates.declare(request, surrogates.FEED)
        key = document_key(
            "feed", format, kind, slug, conf.feed_full_text(), conf.feed_size(), site_generation()
        )
        return answer(request, cached(key, lambda: build(request, kind, slug)))

    view.__name__ = f"{format}_feed"
    return view


def _syndication_feed(feed):
    def build(request, kind, slug):
        response = feed(request, kind=kind, slug=slug)  # an unknown subject raises Http404
        return Document.of(
            response.content, response["Content-Type"], last_modified=response.get("Last-Modified", "")
        )

    return build


def _json_feed(request, kind, slug):
    subject = get_subject(kind, slug) if kind else None
    document = feeds.json_feed(subject)
    newest = max((item["date_modified"] for item in document["items"]), default="")
    content = json.dumps(document, ensure_ascii=False, indent=1)
    last_modified = ""
    if newest:
        last_modified = http_date(datetime.fromisoformat(newest).timestamp())
    return Document.of(content, JSON_FEED, last_modified=last_modified)


rss_feed = feed_view("rss", _syndication_feed(_rss))
atom_feed = feed_view("atom", _syndication_feed(_atom))
json_feed = feed_view("json", _json_feed)


# --- sitemaps -------------------------------------------------------------------------------

SITEMAP_ROBOTS = "noindex, noodp, noarchive"


def xml_document(text):
    return Document.of(text, XML, robots=SITEMAP_ROBOTS)


@require_safe
def sitemap_index(request):
    surrogates.declare(request, surrogates.SITEMAP)
    limits = [getattr(s, "limit", 0) for s in sitemaps.SITEMAPS.values()]
    key = document_key("index", limits, site_generation())
    return answer(request, cached(key, lambda: xml_document(sitemaps.render_index())))


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
    if sitemap_class is sitemaps.ArticleSitemap:
        limit = sitemap_class.limit
        surrogates.declare(request, surrogates.sitemap_page(number))
        generation = page_generation(name, limit, number)
    else:
        limit, generation = getattr(sitemap_class, "limit", 0), site_generation()
        surrogates.declare(request, surrogates.SITEMAP)

    def build():
        text, count = sitemaps.render_urlset(sitemap_class().entries(number))
        # An empty page past the first is not kept, so a story landing in it shows at once.
        return xml_document(text) if count or number == 1 else None

    document = cached(document_key("page", name, limit, number, generation), build)
    if document is None:
        raise Http404("This sitemap page is empty.")
    return answer(request, document)


@require_safe
def news_sitemap(request):
    surrogates.declare(request, surrogates.SITEMAP)
    key = document_key("news", site_generation())
    return answer(request, cached(key, lambda: xml_document(sitemaps.render_news())))


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
