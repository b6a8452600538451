"""What a page says about itself to search engines and link previews: canonical link,
OpenGraph and Twitter card tags, JSON-LD (NewsArticle, BreadcrumbList, WebSite) and feed links.

Every function returns a `PageMeta`; the `syndication_meta` template tags only show it. Names of
people appear, never an address: authors' contact emails are private.
"""

import json
from dataclasses import dataclass, field

from django.utils.html import conditional_escape as escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from broadsheet.newsroom.pagination import parse_cursor
from broadsheet.wire.provenance import cited_sources

from . import conf
from .services import absolute_url, feed_urls, image_url, is_web_address, subject_kind

DESCRIPTION_CHARS = 200
HEADLINE_CHARS = 110  # longer JSON-LD headlines are cut by search engines
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
FEED_TYPES = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
)


@dataclass
class PageMeta:
    canonical: str = ""
    robots: str = ""
    og: list = field(default_factory=list)  # [(property, content)]
    twitter: list = field(default_factory=list)  # [(name, content)]
    alternates: list = field(default_factory=list)  # [{"type", "title", "href"}]
    languages: list = field(default_factory=list)  # [(language, absolute url)]: hreflang
    json_ld: list = field(default_factory=list)  # [safe <script> bodies]


def json_ld(data):
    """A JSON-LD document safe inside <script>: no "<", ">" or "&" can end or open a tag."""
    return mark_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES))


def meta_html(meta):
    """The HTML of `meta` (the same as the template syndication/meta.html renders)."""
    out = []
    if meta.canonical:
        out.append(f'<link rel="canonical" href="{escape(meta.canonical)}">\n')
    if meta.robots:
        out.append(f'<meta name="robots" content="{escape(meta.robots)}">\n')
    out += [f'<meta property="{escape(name)}" content="{escape(value)}">\n' for name, value in meta.og]
    out += [f'<meta name="{escape(name)}" content="{escape(value)}">\n' for name, value in meta.twitter]
    out += [
        f'<link rel="alternate" type="{escape(link["type"])}" title="{escape(link["title"])}" '
        f'href="{escape(link["href"])}">\n'
        for link in meta.alternates
    ]
    out += [
        f'<link rel="alternate" hreflang="{escape(language)}" href="{escape(href)}">\n'
        for language, href in meta.languages
    ]
    out += [f'<script type="application/ld+json">{escape(document)}</script>\n' for document in meta.json_ld]
    return "".join(out) + "\n"


def short_text(value, limit=DESCRIPTION_CHARS):
    return Truncator(" ".join((value or "").split())).chars(limit)


def is_original_canonical(article):
    return (
        conf.canonical_republished() == "original"
        and article.is_republished()
        and is_web_address(article.source_url)
    )


def canonical_url(article):
    """Our own address, or, for a republished story when the setting says so, the original's."""
    if is_original_canonical(article):
        return article.source_url
    return absolute_url(article.get_absolute_url())


def publisher():
    return {"@type": "NewsMediaOrganization", "name": conf.site_name(), "url": absolute_url("/")}


def breadcrumbs(trail):
    """BreadcrumbList from [(name, path)], home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute_url(path)}
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


def card(meta, *, kind, title, description, url, picture="", picture_alt=""):
    """The OpenGraph and Twitter tags every page has."""
    meta.og += [
        ("og:type", kind),
        ("og:site_name", conf.site_name()),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
    ]
    meta.twitter += [
        ("twitter:card", "summary_large_image" if picture else "summary"),
        ("twitter:title", title),
        ("twitter:description", description),
    ]
    if picture:
        meta.og.append(("og:image", picture))
        meta.twitter.append(("twitter:image", picture))
        if picture_alt:
            meta.og.append(("og:image:alt", picture_alt))
            meta.twitter.append(("twitter:image:alt", picture_alt))


def feed_links(subject=None, label=""):
    urls = feed_urls(subject)
    label = label or conf.site_name()
    return [
        {"type": mime, "title": f"{label} ({name})", "href": absolute_url(urls[key])}
        for key, mime, name in FEED_TYPES
    ]


def article_meta(article, *, preview=False, request=None):
    """Metadata of a story page. Uses only what the article view already loaded (`request`
    lets the wire skip asking for citations a story is known not to have)."""
    our_url = absolute_url(article.get_absolute_url())
    description = short_text(article.summary or article.headline)
    authors = list(article.authors.all())
    tags = list(article.tags.all())
    picture = image_url(article)
    meta = PageMeta(canonical=canonical_url(article), robots="noindex, nofollow" if preview else "")
    card(
        meta,
        kind="article",
        title=article.headline,
        description=description,
        url=our_url,
        picture=picture,
        picture_alt=article.image_alt or article.image_caption,
    )
    if article.publish_at:
        meta.og.append(("article:published_time", article.publish_at.isoformat()))
    meta.og.append(("article:modified_time", article.updated_at.isoformat()))
    meta.og.append(("article:section", article.section.name))
    meta.og += [("article:author", absolute_url(a.get_absolute_url())) for a in authors]
    meta.og += [("article:tag", tag.name) for tag in tags]

    news = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": short_text(article.headline, HEADLINE_CHARS),
        "description": description,
        "url": our_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": our_url},
        "dateModified": article.updated_at.isoformat(),
        "inLanguage": article.language or "en",
        "articleSection": article.section.name,
        "publisher": publisher(),
    }
    if article.publish_at:
        news["datePublished"] = article.publish_at.isoformat()
    if authors:
        news["author"] = [
            {"@type": "Person", "name": a.name, "url": absolute_url(a.get_absolute_url())} for a in authors
        ]
    else:
        news["author"] = publisher()
    if picture:
        news["image"] = [picture]
    if tags:
        news["keywords"] = [tag.name for tag in tags]
    if article.is_republished():
        if is_web_address(article.source_url):
            news["isBasedOn"] = article.source_url
        elif article.source:
            news["isBasedOn"] = {
                "@type": "NewsArticle",
                "publisher": {"@type": "NewsMediaOrganization", "name": article.source.name},
            }
    cited = cited_sources(article, None if preview else request)
    if cited:
        # The outlets whose reporting the story cites (found in the text, checked by editors).
        news["citation"] = [
            {
                "@type": "CreativeWork",
                "publisher": {
                    "@type": "NewsMediaOrganization",
                    "name": source.name,
                    "url": absolute_url(source.get_absolute_url()),
                },
            }
            for source in cited
        ]
    meta.json_ld = [
        json_ld(news),
        json_ld(
            breadcrumbs(
                [
                    (conf.site_name(), "/"),
                    (article.section.name, article.section.get_absolute_url()),
                    (article.headline, article.get_absolute_url()),
                ]
            )
        ),
    ]
    meta.alternates = feed_links(article.section, article.section.name)
    meta.languages = [(language, absolute_url(url)) for language, url in article.translation_links()]
    return meta


def listing_meta(*, title, description="", kind="", subject=None, query=None, path="/"):
    """Metadata of a section, tag, author, source or archive page.

    A page further down the list is its own canonical: its cursor (?before= / ?after=, see
    newsroom.pagination) stays in the address, every other parameter goes.
    """
    base = subject.get_absolute_url() if subject is not None else path
    url = absolute_url(base)
    for name in ("before", "after"):
        cursor = (query or {}).get(name)
        if cursor and parse_cursor(cursor):
            url = f"{url}?{urlencode({name: cursor})}"
            break
    description = short_text(description or f"{kind}: {title} on {conf.site_name()}")
    meta = PageMeta(canonical=url)
    card(meta, kind="website", title=title, description=description, url=url)
    meta.json_ld = [json_ld(breadcrumbs([(conf.site_name(), "/"), (title, base)]))]
    if subject_kind(subject):
        meta.alternates = feed_links(subject, title)
    return meta


def home_meta():
    url = absolute_url("/")
    meta = PageMeta(canonical=url)
    card(meta, kind="website", title=conf.site_name(), description=conf.DEFAULT_DESCRIPTION, url=url)
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": conf.site_name(),
        "url": url,
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": url + "search/?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }
    meta.json_ld = [json_ld(website)]
    return meta


def page_meta(path="/"):
    """Any other page: itself as canonical (no query string) and a plain card."""
    url = absolute_url(path)
    meta = PageMeta(canonical=url)
    card(meta, kind="website", title=conf.site_name(), description=conf.DEFAULT_DESCRIPTION, url=url)
    return meta
