"""The footer menu of static pages, kept in the cache so that rendering it never asks the
database: rebuilt whenever a page is saved or removed, and after `migrate` (every start of
`make run`), so a cache that lost it gets it back at the next deploy or page edit."""

from django.core.cache import cache

CACHE_KEY = "pages:footer-menu"


def footer_links() -> list[dict]:
    """[{"title", "url"}] of the pages the footer lists, in order; no database query."""
    return cache.get(CACHE_KEY) or []


def rebuild_footer(**kwargs) -> list[dict]:
    from .models import Page

    links = [{"title": p.title, "url": p.get_absolute_url()} for p in Page.objects.in_footer().only("title", "slug")]
    cache.set(CACHE_KEY, links, None)
    return links
