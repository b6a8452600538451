"""Values every public template needs: the site's name, its URL and the section navigation."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    # Looked up once per request, and only by a template that shows it.
    nav = getattr(request, "_nav_sections", None)
    if nav is None:
        nav = request._nav_sections = SimpleLazyObject(lambda: _navigation(request))
    return {
        "site_name": settings.BROADSHEET_SITE_NAME,
        "site_url": settings.BROADSHEET_SITE_URL,
        "nav_sections": nav,
    }


def _navigation(request):
    from broadsheet.newsroom import slots
    from broadsheet.newsroom.models import Section

    return slots.cached_value(request, "nav-sections", "", lambda: list(Section.objects.navigation()))
