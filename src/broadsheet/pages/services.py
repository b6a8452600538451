"""Pages written by other apps (the WordPress importer): one function, keyword arguments."""

from django.db import transaction
from django.utils.text import slugify

from .models import Page


@transaction.atomic
def save_page(*, page_id: int | None, title: str, slug: str, body: str, is_published: bool) -> Page:
    """Create a page, or update the one with page_id; the slug is made unique if taken."""
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    if page is None:
        page = Page()
    base = (slug or slugify(title, allow_unicode=True) or "page")[:190]
    candidate, n = base, 1
    while Page.objects.filter(slug=candidate).exclude(pk=page.pk).exists():
        n += 1
        candidate = f"{base}-{n}"
    page.title, page.slug, page.body = title[:200] or candidate, candidate, body
    page.is_published = is_published
    page.save()
    return page
