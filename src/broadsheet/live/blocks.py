"""The live page under a story: key points, the updates newest first, the poller."""

from django.conf import settings
from django.utils.safestring import mark_safe

from . import conf, services
from .models import LiveCoverage


def live_block(request, article):
    coverage = LiveCoverage.objects.filter(article=article).first()
    if coverage is None:
        return None
    coverage.article = article  # the page's own, not a second read of the whole story
    data = services.page_data(coverage)
    data["json_ld"] = mark_safe(
        services.structured_data(coverage, data["updates"], settings.BROADSHEET_SITE_URL.rstrip("/"))
    )
    data["updates_html"] = services.render_updates(data["updates"])
    data["poll_ms"] = int(conf.poll_seconds() * 1000)
    return "live/_live.html", data
