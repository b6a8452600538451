"""The footer menu of static pages, kept in the cache until a page changes."""

from django import template
from django.core.cache import cache

register = template.Library()
CACHE_KEY = "pages:footer"


@register.simple_tag
def footer_pages():
    pages = cache.get(CACHE_KEY)
    if pages is None:
        from broadsheet.pages.models import Page

        pages = [{"title": p.title, "url": p.get_absolute_url()} for p in Page.objects.in_footer()]
        cache.set(CACHE_KEY, pages, 3600)
    return pages
