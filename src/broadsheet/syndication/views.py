"""robots.txt naming the sitemap."""

from django.conf import settings
from django.http import HttpResponse


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /publish/status/",
        f"Sitemap: {settings.BROADSHEET_SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
