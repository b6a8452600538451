"""Values every public template needs: the site's name, its URL and the section navigation."""

from django.conf import settings


def site(request):
    from broadsheet.newsroom.models import Section

    return {
        "site_name": settings.BROADSHEET_SITE_NAME,
        "site_url": settings.BROADSHEET_SITE_URL,
        "nav_sections": Section.objects.navigation(),
    }
