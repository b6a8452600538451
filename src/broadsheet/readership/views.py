"""The read beacon: a tiny same-origin POST from the story page's script. No cookie is read
or set, no address kept; robots (by user agent and by rate) are not counted."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from broadsheet.core.text import as_number

from . import services


@csrf_exempt
@require_POST
def beacon(request):
    article = request.POST.get("a", "")
    # Browsers say where a request came from; a read reported from another site is not one.
    same_site = request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
    article_id = as_number(article)
    if article_id is not None and same_site:
        services.count_read(article_id, request=request)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
