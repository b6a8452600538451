"""The search page: a GET form, ranked results with highlighted snippets, newer/older pages."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from broadsheet.core import surrogates
from broadsheet.newsroom import slots
from broadsheet.newsroom.models import Section, Source

from . import services
from .base import Filters, SearchUnavailable
from .forms import SearchForm

MAX_PAGE = 500
RETRY_AFTER_SECONDS = 30


def _page_number(value):
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def results(request):
    surrogates.declare(request, surrogates.SEARCH)
    sections = list(Section.objects.only("name", "slug").order_by("name"))
    sources = list(Source.objects.only("name", "slug").order_by("name"))
    form = SearchForm(request.GET if request.GET else None, sections=sections, sources=sources)
    outcome, query_text = None, ""
    if form.is_bound:
        form.is_valid()  # invalid dates are shown beside their field; the rest still searches
        data = form.cleaned_data
        query_text = data.get("q", "")
        section, source = form.chosen_section(), form.chosen_source()
        filters = Filters(
            section_id=section.pk if section else None,
            source_id=source.pk if source else None,
            date_from=services.day_start(data["date_from"]) if data.get("date_from") else None,
            date_to=services.day_end(data["date_to"]) if data.get("date_to") else None,
        )
        if query_text:
            try:
                outcome = services.search(
                    query_text,
                    filters=filters,
                    page=_page_number(request.GET.get("page")),
                    match="any" if request.GET.get("match") == "any" else "all",
                    prefix_last=request.GET.get("prefix") == "1",
                    language=data.get("language") or "",
                )
            except SearchUnavailable:
                return _unavailable(request, form, query_text)
            slots.annotate_listing([r.article for r in outcome.results])
    context = {
        "form": form,
        "search_query": query_text,
        "outcome": outcome,
        "previous_url": _page_url(request, outcome, -1),
        "next_url": _page_url(request, outcome, +1),
    }
    response = render(request, "search/results.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _unavailable(request, form, query_text):
    """An honest answer when the search backend failed: 503, and the words kept in the box."""
    context = {"form": form, "search_query": query_text}
    response = render(request, "search/unavailable.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def _page_url(request, outcome, step):
    if outcome is None:
        return ""
    if (step < 0 and not outcome.has_previous) or (step > 0 and not outcome.has_next):
        return ""
    params = [(k, v) for k, v in request.GET.items() if k not in {"page", "match", "prefix"} and v]
    if outcome.matched_any:
        params.append(("match", "any"))
    if outcome.prefix_last:
        params.append(("prefix", "1"))
    params.append(("page", outcome.page + step))
    return "?" + urlencode(params)
