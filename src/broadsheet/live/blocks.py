"""The live page under a story: key points, the updates newest first, the poller."""

from django.conf import settings
from django.utils.safestring import mark_safe

from broadsheet.newsroom import slots

from . import conf, services
from .models import LiveCoverage

# Purged when a coverage starts or ends: the stories that have one, a site-wide value kept per
# worker, so the many stories without one ask nothing.
COVERED_KEY = "live-stories"


def covered_ids(request):
    return slots.cached_value(
        request,
        "live-stories",
        "",
        lambda: frozenset(LiveCoverage.objects.values_list("article_id", flat=True)),
        keys=[COVERED_KEY],
        site=True,
    )


def live_block(request, article):
    if slots.site_values_kept() and article.pk not in covered_ids(request):
        return None
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
