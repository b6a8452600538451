"""Readers' side of a live page: the poll endpoint a shared cache can serve, and one page per
update (its permalink)."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from broadsheet.core import surrogates
from broadsheet.core.text import as_number
from broadsheet.newsroom.models import Article

from . import services
from .models import LiveCoverage, LiveUpdate

POLL_MAX_AGE = 5
POLL_SHARED_MAX_AGE = 10


def poll(request, article_id):
    coverage = get_object_or_404(
        LiveCoverage.objects.select_related("article"), article_id=article_id, article__in=Article.objects.published()
    )
    surrogates.declare(request, surrogates.story(article_id))
    response = JsonResponse(services.poll(coverage))
    # The same for everyone: a shared cache answers the crowd, the origin renders it a few times a minute.
    patch_cache_control(response, public=True, max_age=POLL_MAX_AGE, s_maxage=POLL_SHARED_MAX_AGE)
    return response


def older(request, article_id):
    """The updates before a given one, a page at a time (the story page shows the newest)."""
    coverage = get_object_or_404(
        LiveCoverage.objects.select_related("article"), article_id=article_id, article__in=Article.objects.published()
    )
    surrogates.declare(request, surrogates.story(article_id))
    before_id = request.GET.get("before", "")
    before = get_object_or_404(LiveUpdate, pk=as_number(before_id) or 0, coverage=coverage)
    data = services.page_data(coverage, before=before)
    context = {"article": coverage.article, "data": data, "updates_html": services.render_updates(data["updates"])}
    return render(request, "live/older.html", context)


def update_page(request, pk):
    update = get_object_or_404(
        LiveUpdate.objects.select_related("coverage__article"), pk=pk, coverage__article__in=Article.objects.published()
    )
    surrogates.declare(request, surrogates.story(update.coverage.article_id))
    context = {"update": update, "update_html": services.render_updates([update]), "article": update.coverage.article}
    return render(request, "live/update.html", context)
