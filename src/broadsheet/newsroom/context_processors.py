"""The section navigation every public template shows in its header."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict:
    # Looked up once per request, and only by a template that shows it.
    nav = getattr(request, "_nav_sections", None)
    if nav is None:
        nav = request._nav_sections = SimpleLazyObject(lambda: _sections(request))
    return {"nav_sections": nav}


def _sections(request: HttpRequest) -> list:
    from . import slots
    from .models import Section

    return slots.cached_value(
        request, "nav-sections", "", lambda: list(Section.objects.navigation()), site=True
    )
