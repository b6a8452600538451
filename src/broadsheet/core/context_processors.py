"""Values every public template needs: the site's name and its URL (the section navigation is
the newsroom's: newsroom.context_processors.navigation)."""

from django.conf import settings
from django.http import HttpRequest

from .site import site_name


def site(request: HttpRequest) -> dict:
    return {"site_name": site_name(), "site_url": settings.BROADSHEET_SITE_URL}
