"""What feeds, sitemaps and metadata share: absolute addresses, the subject of a feed, safe XML text."""

import functools
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch
from django.http import Http404
from django.urls import get_script_prefix, get_urlconf, reverse

from broadsheet.core.text import clean_text
from broadsheet.newsroom.models import Article, ArticleQuerySet, Author, Section, Source, Tag

from . import conf

SUBJECT_MODELS = {"section": Section, "tag": Tag, "author": Author, "source": Source}


def xml_text(value: object) -> str:
    """Text that can go into an XML document: characters XML 1.0 forbids are dropped."""
    return clean_text(value)


def absolute_url(path: str) -> str:
    """An address on this site, absolute, from BROADSHEET_SITE_URL."""
    if path.startswith(("http://", "https://")):
        return path
    return conf.site_url() + path


def is_web_address(url: str | None) -> bool:
    return bool(url and url.lower().startswith(("http://", "https://")))


def subject_kind(subject: object) -> str | None:
    for kind, model in SUBJECT_MODELS.items():
        if isinstance(subject, model):
            return kind
    return None


def get_subject(kind: str, slug: str) -> Model:
    """The section, tag, author or source a feed is about, or 404."""
    model = SUBJECT_MODELS.get(kind)
    if model is None:
        raise Http404("No such feed.")
    try:
        return model._default_manager.get(slug=slug)
    except ObjectDoesNotExist:
        raise Http404("No such feed.") from None


def articles_about(subject: Section | Tag | Author | Source | None) -> ArticleQuerySet:
    """Published stories of the whole site, or of one section, tag, author or source."""
    articles = Article.objects.published()
    kind = subject_kind(subject)
    if kind == "section":
        articles = articles.filter(section=subject)
    elif kind == "tag":
        articles = articles.filter(tags=subject)
    elif kind == "author":
        articles = articles.filter(authors=subject)
    elif kind == "source":
        articles = articles.filter(source=subject)
    return articles


def feed_articles(subject: Section | Tag | Author | Source | None = None) -> list[Article]:
    """The latest stories for a feed, with everything an entry shows in a fixed number of queries."""
    return list(
        articles_about(subject)
        .select_related("section", "source")
        .defer("body")
        .prefetch_related(
            Prefetch("authors", queryset=Author.objects.only("name", "slug").order_by("name")),
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
        )
        .latest_first()[: conf.feed_size()]
    )


def feed_urls(subject: Section | Tag | Author | Source | None = None) -> dict[str, str]:
    """The RSS, Atom and JSON Feed addresses (site-relative) for the site or one subject.
    Reversed once per subject (every story page shows its section's): a slug's feed addresses
    never change while the URL configuration and script prefix stay the same (both in the key)."""
    if subject is None:
        return dict(_feed_urls(None, None, *_url_setup()))
    return dict(_feed_urls(subject_kind(subject), subject.slug, *_url_setup()))


def _url_setup() -> tuple[str, str]:
    return get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _feed_urls(kind: str | None, slug: str | None, prefix: str, urlconf: str) -> dict[str, str]:
    if kind is None:
        return {
            "rss": reverse("syndication:feed"),
            "atom": reverse("syndication:feed-atom"),
            "json": reverse("syndication:feed-json"),
        }
    kwargs = {"kind": kind, "slug": slug}
    return {
        "rss": reverse("syndication:subject-feed", kwargs=kwargs),
        "atom": reverse("syndication:subject-feed-atom", kwargs=kwargs),
        "json": reverse("syndication:subject-feed-json", kwargs=kwargs),
    }


def byline(names: Iterable[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return names[0] if names else ""
    return ", ".join(names[:-1]) + " and " + names[-1]


def image_url(article: Article) -> str:
    """The lead picture's absolute address, or "" when there is none."""
    if not article.image:
        return ""
    try:
        return absolute_url(article.image.url)
    except ValueError:
        return ""
